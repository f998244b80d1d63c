// kube-validate decodes every object of a rendered multi-document YAML stream (kustomize build
// output) strictly against the Kubernetes API types that client-go registers: an unknown or
// duplicated field, a wrong type or an unknown kind/apiVersion fails, as it would on
// `kubectl apply --validate=strict`. A cluster is not needed, and none is contacted.
//
// Usage: kustomize build deploy/kubernetes/overlays/dev | kube-validate
// Prints one line per object (kind namespace/name) and exits 1 on the first invalid one.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/util/validation"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
)

func main() {
	serializer := json.NewSerializerWithOptions(json.DefaultMetaFactory, scheme.Scheme, scheme.Scheme,
		json.SerializerOptions{Yaml: true, Strict: true})
	reader := utilyaml.NewYAMLReader(bufio.NewReader(os.Stdin))
	count := 0
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fail("reading the stream: %v", err)
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		object, gvk, err := serializer.Decode(doc, nil, nil)
		if err != nil {
			fail("object %d: %v", count+1, err)
		}
		meta, ok := object.(interface {
			GetName() string
			GetNamespace() string
		})
		if !ok || meta.GetName() == "" {
			fail("object %d (%s): no metadata.name", count+1, gvk.Kind)
		}
		// Every object name is a DNS-1123 subdomain; the API server would refuse another.
		if msgs := validation.IsDNS1123Subdomain(meta.GetName()); len(msgs) > 0 {
			fail("%s %q: %v", gvk.Kind, meta.GetName(), msgs)
		}
		count++
		fmt.Printf("%s %s/%s\n", gvk.Kind, meta.GetNamespace(), meta.GetName())
	}
	if count == 0 {
		fail("no object in the input")
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "kube-validate: "+format+"\n", args...)
	os.Exit(1)
}
