package cli

import (
	"fmt"
	"os"
	"strings"

	"earshot/internal/api"
)

// envMetricsToken names the environment variable that may hold the token
// /metrics requires. There is no flag holding the token itself: a flag's
// value shows in the process list.
const envMetricsToken = "EARSHOT_METRICS_TOKEN"

// metricsToken returns the token serve's /metrics requires: read from
// file (--metrics-token-file; trailing line breaks and spaces dropped) or
// from EARSHOT_METRICS_TOKEN, "" when neither is set. Both at once, or a
// token api.CheckMetricsToken refuses, is a usage error that never shows
// the token.
func metricsToken(env *Env, file string) (string, error) {
	tok := env.getenv(envMetricsToken)
	if file != "" {
		if tok != "" {
			return "", usageErrorf("give the metrics token in --metrics-token-file or in %s, not both", envMetricsToken)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("read the metrics token: %w", err)
		}
		if tok = strings.TrimRight(string(b), "\r\n\t "); tok == "" {
			return "", usageErrorf("the metrics token file %s is empty", file)
		}
	}
	if tok == "" {
		return "", nil
	}
	if err := api.CheckMetricsToken(tok); err != nil {
		return "", usageErrorf("%v", err)
	}
	return tok, nil
}
