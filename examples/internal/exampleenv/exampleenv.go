// Package exampleenv is the setup every example shares: the real Scopix API
// when SCOPIX_API_KEY is set, else the built-in fake API (scopixtest)
// started in-process, so an example runs with no network and no key.
package exampleenv

import (
	"fmt"
	"io"
	"os"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// Setup says how an example runs on each side. The zero value runs the
// default fake and client.
type Setup struct {
	Out        io.Writer                 // where the choice is announced; nil: os.Stdout
	Fake       []scopixtest.ServerOption // options of the fake server
	FakeClient []scopix.Option           // client options used only on the fake, e.g. a short polling interval
	Client     []scopix.Option           // client options used on both sides
}

// Env is the API an example runs against.
type Env struct {
	Client *scopix.Client
	Fake   *scopixtest.Server // nil against the real API
}

// Open returns a client of the real API, configured from the environment
// (scopix.NewFromEnv), when SCOPIX_API_KEY is set, else starts the fake and
// returns its client. It says which on s.Out. Close releases both.
func Open(s *Setup) (*Env, error) {
	if s == nil {
		s = &Setup{}
	}
	out := s.Out
	if out == nil {
		out = os.Stdout
	}
	if os.Getenv("SCOPIX_API_KEY") != "" {
		client, err := scopix.NewFromEnv(s.Client...)
		if err != nil {
			return nil, err
		}
		fmt.Fprintln(out, "Using the Scopix API.")
		return &Env{Client: client}, nil
	}
	fake := scopixtest.Start(s.Fake...)
	opts := append(append([]scopix.Option(nil), s.Client...), s.FakeClient...)
	fmt.Fprintln(out, "Using the built-in fake Scopix API (set SCOPIX_API_KEY to use the real one).")
	return &Env{Client: fake.Client(opts...), Fake: fake}, nil
}

// Close closes the client, then the fake if one was started, and returns
// the client's Close error.
func (e *Env) Close() error {
	err := e.Client.Close()
	if e.Fake != nil {
		e.Fake.Close()
	}
	return err
}
