package egress_test

import (
	"testing"

	"earshot/internal/egress"
)

func TestParsePolicy(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"", "false"},
		{"false", "false"},
		{"0", "false"},
		{"true", "true"},
		{"1", "true"},
		{"10.1.2.25", "10.1.2.25/32"},
		{" 10.1.2.25/24 , fd00::/8,::1", "10.1.2.0/24,fd00::/8,::1/128"},
	} {
		p, err := egress.ParsePolicy(tc.in)
		if err != nil || p.String() != tc.want {
			t.Errorf("ParsePolicy(%q) = %v, %v; want %s", tc.in, p, err, tc.want)
		}
	}
	for _, in := range []string{"yes please", "10.1.2.256", "10.0.0.0/33", "10.0.0.1,", "localhost"} {
		if _, err := egress.ParsePolicy(in); err == nil {
			t.Errorf("ParsePolicy(%q) took it", in)
		}
	}
}
