//go:build tools

// Package tools pins the Alertmanager and amtool that the alert-path test runs and the static
// tests validate deploy/alertmanager/alertmanager.yml with (scripts/stack-install.sh builds them
// from here; the version is the prom/alertmanager image's tag in docker-compose.yml).
package tools

import (
	_ "github.com/prometheus/alertmanager/cmd/alertmanager"
	_ "github.com/prometheus/alertmanager/cmd/amtool"
)
