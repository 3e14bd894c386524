// Command earshot is social customer care for health plans and hospitals:
// it hears public mentions and reviews, understands them, routes them into
// cases and helps care teams answer safely. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"earshot/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first signal asks for a graceful stop; once it has, the next one
	// ends the process at once.
	context.AfterFunc(ctx, stop)
	code := cli.Run(ctx, cli.OSEnv(), os.Args[1:])
	stop()
	os.Exit(code)
}
