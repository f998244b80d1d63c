//go:build tools

// Package tools pins the kustomize CLI (the same engine as `kubectl apply -k`) that renders
// deploy/kubernetes for the static tests; scripts/stack-install.sh builds it from here.
package tools

import (
	_ "sigs.k8s.io/kustomize/kustomize/v5"
)
