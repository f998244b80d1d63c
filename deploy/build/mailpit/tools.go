//go:build tools

// Package tools pins Mailpit, the inbox the alert-path test reads alert e-mails from
// (scripts/stack-install.sh builds it from here; the version is the axllent/mailpit image's tag
// in docker-compose.yml).
package tools

import (
	_ "github.com/axllent/mailpit"
)
