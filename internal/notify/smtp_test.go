package notify_test

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"testing"
)

// smtpServer is just enough of an SMTP server (RFC 5321: EHLO, MAIL,
// RCPT, DATA, RSET, NOOP, QUIT; no TLS, no auth) for go-mail to deliver
// to in tests.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []smtpMsg
	wg   sync.WaitGroup
}

type smtpMsg struct {
	From string
	To   []string
	Data string
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Go(func() { s.serve(c) })
		}
	})
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *smtpServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *smtpServer) messages() []smtpMsg {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMsg(nil), s.msgs...)
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	w := bufio.NewWriter(c)
	reply := func(lines ...string) {
		for _, l := range lines {
			w.WriteString(l + "\r\n")
		}
		w.Flush()
	}
	reply("220 test.local ESMTP")
	var cur smtpMsg
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.SplitN(cmd, " ", 2)[0])
		switch verb {
		case "EHLO", "HELO":
			reply("250-test.local", "250-8BITMIME", "250 SMTPUTF8")
		case "MAIL":
			cur = smtpMsg{From: addr(cmd)}
			reply("250 2.1.0 OK")
		case "RCPT":
			cur.To = append(cur.To, addr(cmd))
			reply("250 2.1.5 OK")
		case "DATA":
			reply("354 end with <CRLF>.<CRLF>")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			cur.Data = b.String()
			s.mu.Lock()
			s.msgs = append(s.msgs, cur)
			s.mu.Unlock()
			reply("250 2.0.0 queued")
		case "RSET", "NOOP":
			reply("250 2.0.0 OK")
		case "QUIT":
			reply("221 2.0.0 bye")
			return
		default:
			reply("502 5.5.2 not implemented")
		}
	}
}

// addr takes the address out of "MAIL FROM:<a@b> SIZE=1".
func addr(cmd string) string {
	i, j := strings.IndexByte(cmd, '<'), strings.IndexByte(cmd, '>')
	if i < 0 || j < i {
		return ""
	}
	return cmd[i+1 : j]
}
