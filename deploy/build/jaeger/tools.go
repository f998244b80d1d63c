//go:build tools

// Package tools pins Jaeger v2 (its module has no /v2 suffix: v1.76.0 of the module is Jaeger
// v2.13) for the stack tests; scripts/stack-install.sh builds it from here.
package tools

import (
	_ "github.com/jaegertracing/jaeger/cmd/jaeger"
)
