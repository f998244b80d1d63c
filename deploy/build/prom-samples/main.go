// prom-samples reads a Prometheus text exposition on stdin with expfmt, the parser of the
// Prometheus project itself, and prints one JSON sample per line as the format writes them
// (name, labels, value; a histogram as its _bucket, _sum and _count samples, a summary as its
// quantiles, _sum and _count). The tests read /metrics pages with the doctor's small
// dependency-free parser (scripts/doctor/prometheus-text.ts); the contract test compares that
// parser's samples with these, on the service's real /metrics, so it cannot drift from the format.
//
// Usage: curl -s localhost:8080/metrics | prom-samples
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

type sample struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels"`
	Value  float64           `json:"value"`
}

func labels(pairs []*dto.LabelPair, extra ...string) map[string]string {
	out := map[string]string{}
	for _, p := range pairs {
		out[p.GetName()] = p.GetValue()
	}
	for i := 0; i+1 < len(extra); i += 2 {
		out[extra[i]] = extra[i+1]
	}
	return out
}

// A bucket bound or quantile as the text format writes it ("+Inf" for the last bucket, which
// the parser keeps among the buckets).
func bound(v float64) string {
	if math.IsInf(v, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func main() {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "prom-samples:", err)
		os.Exit(1)
	}
	out := json.NewEncoder(os.Stdout)
	emit := func(s sample) {
		if err := out.Encode(s); err != nil {
			fmt.Fprintln(os.Stderr, "prom-samples:", err)
			os.Exit(1)
		}
	}
	for name, family := range families {
		for _, m := range family.GetMetric() {
			switch family.GetType() {
			case dto.MetricType_COUNTER:
				emit(sample{name, labels(m.GetLabel()), m.GetCounter().GetValue()})
			case dto.MetricType_GAUGE:
				emit(sample{name, labels(m.GetLabel()), m.GetGauge().GetValue()})
			case dto.MetricType_UNTYPED:
				emit(sample{name, labels(m.GetLabel()), m.GetUntyped().GetValue()})
			case dto.MetricType_HISTOGRAM:
				h := m.GetHistogram()
				for _, b := range h.GetBucket() {
					emit(sample{name + "_bucket", labels(m.GetLabel(), "le", bound(b.GetUpperBound())), float64(b.GetCumulativeCount())})
				}
				emit(sample{name + "_sum", labels(m.GetLabel()), h.GetSampleSum()})
				emit(sample{name + "_count", labels(m.GetLabel()), float64(h.GetSampleCount())})
			case dto.MetricType_SUMMARY:
				s := m.GetSummary()
				for _, q := range s.GetQuantile() {
					emit(sample{name, labels(m.GetLabel(), "quantile", bound(q.GetQuantile())), q.GetValue()})
				}
				emit(sample{name + "_sum", labels(m.GetLabel()), s.GetSampleSum()})
				emit(sample{name + "_count", labels(m.GetLabel()), float64(s.GetSampleCount())})
			}
		}
	}
}
