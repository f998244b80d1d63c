//go:build tools

// Package tools pins the Prometheus server and promtool that the stack tests run
// (scripts/stack-install.sh builds them from here: `go install` refuses the Prometheus module
// because its go.mod has replace and exclude lines).
package tools

import (
	_ "github.com/prometheus/prometheus/cmd/prometheus"
	_ "github.com/prometheus/prometheus/cmd/promtool"
)
