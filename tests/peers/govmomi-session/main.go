// Command govmomi-session runs the SessionManager scenario with govmomi's client (its
// `session` package) against a vSphere endpoint: a real peer for vcsim and vimsim.
//
//	govmomi-session --url http://127.0.0.1:PORT/sdk --user U --password P \
//	    [--readonly-user U --readonly-password P] [--insecure]
//
// It prints one JSON object per line per step on stdout, the same steps as
// tests/peers/pyvmomi_session.py:
//
//	{"step":"connect","ok":true,"value":{"protocol":"http"}}
//	{"step":"terminate_own","ok":false,"fault":"InvalidArgument","message":"..."}
//
// `ok` says whether the step's calls returned no error; a vSphere fault is data (`fault` is
// the fault type's WSDL name, `message` its text), any other error is `error`. `value` holds
// what a reading step read. Exit status 0 when every step ran, 1 when the endpoint could not
// be reached at all, 2 on a usage error. Passwords and clone tickets are never printed.
//
// Built in GOPATH mode against Debian's golang-github-vmware-govmomi-dev (see
// xtask/src/peers.rs, `govmomi_session`):
//
//	GOPATH=/usr/share/gocode GO111MODULE=off CGO_ENABLED=0 go build ./tests/peers/govmomi-session
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"time"

	"github.com/vmware/govmomi/property"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// line is one step's JSON object; the field order is the output's.
type line struct {
	Step string `json:"step"`
	// OK is null for a skipped step.
	OK      *bool           `json:"ok"`
	Skipped bool            `json:"skipped,omitempty"`
	Value   json.RawMessage `json:"value,omitempty"`
	Fault   string          `json:"fault,omitempty"`
	Message *string         `json:"message,omitempty"`
	Error   string          `json:"error,omitempty"`
}

func emit(l line) {
	b, err := json.Marshal(l)
	if err != nil {
		// Only a value of a type json cannot encode gets here: a bug of this program.
		panic(err)
	}
	fmt.Println(string(b))
}

func boolPtr(b bool) *bool { return &b }

// failed describes an error: a vSphere fault (in a SOAP fault's detail, or from a
// PropertyCollector missingSet) by its type's name, which govmomi keeps equal to the WSDL
// name; anything else as `error`.
func failed(name string, err error) line {
	l := line{Step: name, OK: boolPtr(false)}
	var f interface{}
	msg := ""
	switch {
	case soap.IsSoapFault(err):
		sf := soap.ToSoapFault(err)
		msg = sf.String
		// The decoded detail, a value (not a pointer) of the fault's type; nil when govmomi
		// did not know the fault's type.
		f = sf.Detail.Fault
	case soap.IsVimFault(err):
		vf := soap.ToVimFault(err)
		f = vf
		if m := vf.GetMethodFault(); m != nil && len(m.FaultMessage) > 0 {
			msg = m.FaultMessage[0].Message
		}
	}
	if f == nil {
		l.Error = err.Error()
		return l
	}
	t := reflect.TypeOf(f)
	for t.Kind() == reflect.Ptr {
		t = t.Elem()
	}
	l.Fault = t.Name()
	l.Message = &msg
	return l
}

// stepTimeout bounds every step, so that a server that never answers ends the step, not the run.
const stepTimeout = 30 * time.Second

// step runs a reading step: fn returns the value to print (null included).
func step(name string, fn func(ctx context.Context) (interface{}, error)) bool {
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	v, err := fn(ctx)
	if err != nil {
		emit(failed(name, err))
		return false
	}
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	emit(line{Step: name, OK: boolPtr(true), Value: raw})
	return true
}

// action runs a step whose call returns nothing (its line has no value).
func action(name string, fn func(ctx context.Context) error) {
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	if err := fn(ctx); err != nil {
		emit(failed(name, err))
		return
	}
	emit(line{Step: name, OK: boolPtr(true)})
}

// server is where the endpoint is.
type server struct {
	u        *url.URL // without credentials
	insecure bool
}

// conn is one client connection: its own HTTP client and cookie jar, so its own session.
type conn struct {
	c  *vim25.Client
	sm *session.Manager
}

// anonymous connects without logging in (RetrieveServiceContent only).
func (s server) anonymous(ctx context.Context) (*conn, error) {
	sc := soap.NewClient(s.u, s.insecure)
	c, err := vim25.NewClient(ctx, sc)
	if err != nil {
		return nil, err
	}
	return &conn{c: c, sm: session.NewManager(c)}, nil
}

// login connects and logs in.
func (s server) login(ctx context.Context, user, password string) (*conn, error) {
	c, err := s.anonymous(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.sm.Login(ctx, url.UserPassword(user, password)); err != nil {
		return nil, err
	}
	return c, nil
}

// logoutQuietly ends a helper session; a failure there is not the scenario's business.
func (c *conn) logoutQuietly() {
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	_ = c.sm.Logout(ctx)
}

// read reads one SessionManager property through the PropertyCollector.
func (c *conn) read(ctx context.Context, prop string) (*mo.SessionManager, error) {
	var m mo.SessionManager
	pc := property.DefaultCollector(c.c)
	if err := pc.RetrieveOne(ctx, c.sm.Reference(), []string{prop}, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// sessionIsActive asks about any session (the session package asks only about its own).
func (c *conn) sessionIsActive(ctx context.Context, key, user string) (bool, error) {
	res, err := methods.SessionIsActive(ctx, c.c, &types.SessionIsActive{This: c.sm.Reference(), SessionID: key, UserName: user})
	if err != nil {
		return false, err
	}
	return res.Returnval, nil
}

func userName(s *types.UserSession) interface{} {
	if s == nil {
		return nil
	}
	return s.UserName
}

func scenario(srv server, user, password, roUser, roPassword string) bool {
	var admin *conn
	if !step("connect", func(ctx context.Context) (interface{}, error) {
		var err error
		admin, err = srv.login(ctx, user, password)
		return map[string]string{"protocol": srv.u.Scheme}, err
	}) {
		return false
	}
	sm := admin.sm

	step("about", func(ctx context.Context) (interface{}, error) {
		a := admin.c.ServiceContent.About
		return map[string]string{"apiVersion": a.ApiVersion, "fullName": a.FullName, "apiType": a.ApiType}, nil
	})

	ourKey := ""
	step("current_session", func(ctx context.Context) (interface{}, error) {
		m, err := admin.read(ctx, "currentSession")
		if err != nil {
			return nil, err
		}
		if m.CurrentSession != nil {
			ourKey = m.CurrentSession.Key
		}
		return map[string]interface{}{"userName": userName(m.CurrentSession)}, nil
	})
	step("session_list", func(ctx context.Context) (interface{}, error) {
		m, err := admin.read(ctx, "sessionList")
		if err != nil {
			return nil, err
		}
		ours := false
		for _, s := range m.SessionList {
			ours = ours || (s.Key == ourKey && ourKey != "")
		}
		return map[string]interface{}{"count": len(m.SessionList), "containsOurs": ours}, nil
	})
	step("message", func(ctx context.Context) (interface{}, error) {
		m, err := admin.read(ctx, "message")
		if err != nil {
			return nil, err
		}
		return m.Message, nil
	})
	step("message_locales", func(ctx context.Context) (interface{}, error) {
		m, err := admin.read(ctx, "messageLocaleList")
		if err != nil {
			return nil, err
		}
		return nonNil(m.MessageLocaleList), nil
	})
	step("supported_locales", func(ctx context.Context) (interface{}, error) {
		m, err := admin.read(ctx, "supportedLocaleList")
		if err != nil {
			return nil, err
		}
		return nonNil(m.SupportedLocaleList), nil
	})
	step("default_locale", func(ctx context.Context) (interface{}, error) {
		m, err := admin.read(ctx, "defaultLocale")
		if err != nil {
			return nil, err
		}
		return m.DefaultLocale, nil
	})

	// The ticket is a credential: the line says only that a non-empty one came back.
	ticket := ""
	step("acquire_clone_ticket", func(ctx context.Context) (interface{}, error) {
		var err error
		ticket, err = sm.AcquireCloneTicket(ctx)
		return map[string]bool{"nonEmpty": ticket != ""}, err
	})

	var second *conn
	secondKey := ""
	step("clone_session", func(ctx context.Context) (interface{}, error) {
		if ticket == "" {
			return nil, errors.New("no clone ticket")
		}
		c2, err := srv.anonymous(ctx)
		if err != nil {
			return nil, err
		}
		if err := c2.sm.CloneSession(ctx, ticket); err != nil {
			return nil, err
		}
		second = c2
		current, err := c2.sm.UserSession(ctx)
		if err != nil {
			return nil, err
		}
		if current != nil {
			secondKey = current.Key
		}
		return map[string]interface{}{"userName": userName(current), "currentSessionUser": userName(current), "newKey": secondKey != ourKey}, nil
	})
	step("clone_ticket_reuse", func(ctx context.Context) (interface{}, error) {
		if ticket == "" {
			return nil, errors.New("no clone ticket")
		}
		c3, err := srv.anonymous(ctx)
		if err != nil {
			return nil, err
		}
		if err := c3.sm.CloneSession(ctx, ticket); err != nil {
			return nil, err
		}
		// Accepted twice: end that extra session so it does not linger.
		current, _ := c3.sm.UserSession(ctx)
		c3.logoutQuietly()
		return map[string]interface{}{"userName": userName(current)}, nil
	})
	step("session_is_active", func(ctx context.Context) (interface{}, error) {
		return admin.sessionIsActive(ctx, ourKey, user)
	})

	action("set_locale", func(ctx context.Context) error { return sm.SetLocale(ctx, "en") })
	action("set_locale_invalid", func(ctx context.Context) error { return sm.SetLocale(ctx, "xx_INVALID") })

	step("update_service_message", func(ctx context.Context) (interface{}, error) {
		text := "vimgen peer test: maintenance at noon"
		// Not in the session package: the generated method call.
		if _, err := methods.UpdateServiceMessage(ctx, admin.c, &types.UpdateServiceMessage{This: sm.Reference(), Message: text}); err != nil {
			return nil, err
		}
		m, err := admin.read(ctx, "message")
		if err != nil {
			return nil, err
		}
		return map[string]interface{}{"readBack": m.Message, "matches": m.Message != nil && *m.Message == text}, nil
	})

	action("terminate_session", func(ctx context.Context) error {
		if secondKey == "" {
			return errors.New("no cloned session to terminate")
		}
		return sm.TerminateSession(ctx, []string{secondKey})
	})
	step("terminate_session_gone", func(ctx context.Context) (interface{}, error) {
		if secondKey == "" {
			return nil, errors.New("no cloned session")
		}
		m, err := admin.read(ctx, "sessionList")
		if err != nil {
			return nil, err
		}
		listed := false
		for _, s := range m.SessionList {
			listed = listed || s.Key == secondKey
		}
		active, err := admin.sessionIsActive(ctx, secondKey, user)
		if err != nil {
			return nil, err
		}
		return map[string]bool{"inSessionList": listed, "isActive": active}, nil
	})
	step("terminated_call", func(ctx context.Context) (interface{}, error) {
		// The terminated client itself: an authenticated call must now fail.
		if second == nil {
			return nil, errors.New("no cloned session")
		}
		if _, err := second.sm.AcquireCloneTicket(ctx); err != nil {
			return nil, err
		}
		return map[string]bool{"stillWorks": true}, nil
	})
	action("terminate_own", func(ctx context.Context) error { return sm.TerminateSession(ctx, []string{ourKey}) })
	action("terminate_unknown", func(ctx context.Context) error {
		return sm.TerminateSession(ctx, []string{"52000000-0000-0000-0000-00000000dead"})
	})

	step("wrong_password", func(ctx context.Context) (interface{}, error) {
		extra, err := srv.login(ctx, user, password+"-wrong")
		if err != nil {
			return nil, err
		}
		// Accepted (vcsim takes any password): log that session out again.
		extra.logoutQuietly()
		return map[string]bool{"accepted": true}, nil
	})

	if roUser == "" {
		emit(line{Step: "readonly_login", Skipped: true})
		emit(line{Step: "readonly_terminate", Skipped: true})
	} else {
		var ro *conn
		step("readonly_login", func(ctx context.Context) (interface{}, error) {
			c, err := srv.login(ctx, roUser, roPassword)
			if err != nil {
				return nil, err
			}
			ro = c
			current, err := c.sm.UserSession(ctx)
			return map[string]interface{}{"userName": userName(current)}, err
		})
		step("readonly_terminate", func(ctx context.Context) (interface{}, error) {
			if ro == nil {
				return nil, errors.New("the read-only user could not log in")
			}
			defer ro.logoutQuietly()
			// The victim is an admin session of its own, so that a server that wrongly allows
			// this does not end the scenario's main session.
			victim, err := srv.login(ctx, user, password)
			if err != nil {
				return nil, err
			}
			defer victim.logoutQuietly()
			current, err := victim.sm.UserSession(ctx)
			if err != nil {
				return nil, err
			}
			if current == nil {
				return nil, errors.New("the victim session has no currentSession")
			}
			if err := ro.sm.TerminateSession(ctx, []string{current.Key}); err != nil {
				return nil, err
			}
			return map[string]bool{"terminated": true}, nil
		})
	}

	action("logout", func(ctx context.Context) error { return sm.Logout(ctx) })
	step("after_logout", func(ctx context.Context) (interface{}, error) {
		if _, err := sm.AcquireCloneTicket(ctx); err != nil {
			return nil, err
		}
		return map[string]bool{"stillWorks": true}, nil
	})
	return true
}

// nonNil prints an absent list as [] (as pyVmomi does), not null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func usage(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "govmomi-session: "+format+"\n", args...)
	flag.Usage()
	os.Exit(2)
}

func main() {
	rawURL := flag.String("url", "", "the SDK endpoint, http(s)://HOST:PORT/sdk")
	user := flag.String("user", "", "the user (default: the one inside --url)")
	password := flag.String("password", "", "the user's password (default: the one inside --url)")
	roUser := flag.String("readonly-user", "", "a user with the ReadOnly role (the readonly_* steps are skipped without it)")
	roPassword := flag.String("readonly-password", "", "the read-only user's password")
	insecure := flag.Bool("insecure", false, "accept any server certificate (a self-signed one)")
	flag.Parse()
	if flag.NArg() != 0 {
		usage("unexpected argument %q", flag.Arg(0))
	}
	if *rawURL == "" {
		usage("--url is required")
	}
	u, err := url.Parse(*rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		usage("--url wants http(s)://HOST:PORT/sdk, got %q", *rawURL)
	}
	// vcsim prints its URL with user:pass@ inside: defaults for --user/--password.
	if u.User != nil {
		if *user == "" {
			*user = u.User.Username()
		}
		if p, ok := u.User.Password(); ok && *password == "" {
			*password = p
		}
		u.User = nil
	}
	if *user == "" || *password == "" {
		usage("--user and --password are required (or credentials inside --url)")
	}
	if (*roUser == "") != (*roPassword == "") {
		usage("--readonly-user and --readonly-password go together")
	}
	if !scenario(server{u: u, insecure: *insecure}, *user, *password, *roUser, *roPassword) {
		os.Exit(1)
	}
}
