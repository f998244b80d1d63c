// compose-check loads docker-compose.yml with compose-go, the library `docker compose` itself
// uses: the file is validated against the Compose Specification schema and resolved (env
// interpolation, defaults) exactly as Compose would. It prints the resolved project as JSON for
// the static tests (test/static/), which check mounts, ports and service references on it.
//
// Usage: compose-check -f docker-compose.yml --env-file .env.example
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	file := flag.String("f", "docker-compose.yml", "compose file")
	envFile := flag.String("env-file", "", "env file for interpolation")
	flag.Parse()

	options := []cli.ProjectOptionsFn{cli.WithName("otel-monitoring"), cli.WithWorkingDirectory(".")}
	if *envFile != "" {
		options = append(options, cli.WithEnvFiles(*envFile), cli.WithDotEnv)
	}
	projectOptions, err := cli.NewProjectOptions([]string{*file}, options...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compose-check:", err)
		os.Exit(1)
	}
	project, err := projectOptions.LoadProject(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "compose-check: invalid compose file:", err)
		os.Exit(1)
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fmt.Fprintln(os.Stderr, "compose-check:", err)
		os.Exit(1)
	}
	fmt.Println(string(out))
}
