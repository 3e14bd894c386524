package cli

import (
	"flag"

	"earshot/internal/egress"
)

// addEgressFlag adds --allow-private-targets: the operator's leave for
// alert targets and the mail server to be inside private networks. It is
// a setting of the server, not of the organisation file, so that an
// admin who may edit the file cannot point Earshot at its own network.
func addEgressFlag(fs *flag.FlagSet) *egress.Policy {
	p := new(egress.Policy)
	fs.Var(policyFlag{p}, "allow-private-targets",
		"let alert targets and the mail server be on loopback or private networks: true, or only these addresses and networks, as --allow-private-targets=10.1.2.25,fd00::/8 (env EARSHOT_ALLOW_PRIVATE_TARGETS)")
	return p
}

// policyFlag is an egress.Policy as a flag: alone it means true.
type policyFlag struct{ p *egress.Policy }

func (f policyFlag) String() string {
	if f.p == nil {
		return "false"
	}
	return f.p.String()
}

func (f policyFlag) Set(s string) error {
	p, err := egress.ParsePolicy(s)
	if err != nil {
		return err
	}
	*f.p = p
	return nil
}

func (policyFlag) IsBoolFlag() bool { return true }
