// Command vcsim runs govmomi's vSphere simulator as a peer for vimgen's tests.
//
// It builds a simulator model chosen by flags (the vCenter "VPX" model by default, the
// standalone "ESX" model with -esx), listens on 127.0.0.1 at a free port (or -listen), prints
// exactly one line to stdout
//
//	VCSIM_URL=http://user:pass@127.0.0.1:PORT/sdk
//
// and serves until stdin reaches end of file (the harness drops its end of the pipe) or the
// process gets SIGINT/SIGTERM. Everything else (timings, certificate fingerprint, traces) goes
// to stderr.
//
// Built in GOPATH mode against Debian's golang-github-vmware-govmomi-dev:
//
//	GOPATH=/usr/share/gocode GO111MODULE=off go build -o target/peers/vcsim ./tests/vcsim
package main

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"io/ioutil"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/vmware/govmomi/simulator"
)

func main() {
	esx := flag.Bool("esx", false, "simulate a standalone ESX host instead of a vCenter (VPX)")
	dc := flag.Int("datacenter", -1, "datacenters (VPX only; model default 1)")
	cluster := flag.Int("cluster", -1, "clusters per datacenter (model default 1)")
	host := flag.Int("host", -1, "hosts per cluster (model default 3)")
	standalone := flag.Int("standalone-host", -1, "standalone hosts per datacenter (model default 1)")
	pool := flag.Int("pool", -1, "child resource pools per cluster (model default 0)")
	vm := flag.Int("vm", -1, "virtual machines per resource pool (model default 2)")
	ds := flag.Int("ds", -1, "datastores (model default 1)")
	pg := flag.Int("pg", -1, "distributed portgroups per datacenter (model default 1)")
	folder := flag.Int("folder", -1, "datacenters placed in a folder (model default 0)")
	app := flag.Int("app", -1, "vApps per cluster (model default 0)")
	pod := flag.Int("pod", -1, "storage pods per cluster (model default 0)")
	autostart := flag.Bool("autostart", true, "power on the model's VMs")
	delay := flag.Int("delay", 0, "milliseconds to delay every SOAP call")
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	useTLS := flag.Bool("tls", false, "serve HTTPS (govmomi's built-in self-signed localhost certificate)")
	tlsCert := flag.String("tls-cert", "", "with -tls: serve this PEM certificate (with -tls-key) instead of the built-in one")
	tlsKey := flag.String("tls-key", "", "with -tls: the PEM private key for -tls-cert")
	certOut := flag.String("cert-out", "", "with -tls: write the server certificate (PEM) to this file")
	username := flag.String("username", "", "accept only this user (with -password); default: any non-empty user and password")
	password := flag.String("password", "", "the password for -username")
	trace := flag.Bool("trace", false, "write the SOAP traffic to stderr")
	waitStdin := flag.Bool("wait-stdin", true, "exit when stdin reaches end of file")
	paging := flag.Bool("paging", false, "honour RetrievePropertiesEx maxObjects and serve ContinueRetrievePropertiesEx/CancelRetrievePropertiesEx (see paging.go)")
	flag.Parse()

	var m *simulator.Model
	if *esx {
		m = simulator.ESX()
	} else {
		m = simulator.VPX()
	}
	set := func(field *int, v int) {
		if v >= 0 {
			*field = v
		}
	}
	set(&m.Datacenter, *dc)
	set(&m.Cluster, *cluster)
	set(&m.ClusterHost, *host)
	set(&m.Host, *standalone)
	set(&m.Pool, *pool)
	set(&m.Machine, *vm)
	set(&m.Datastore, *ds)
	set(&m.Portgroup, *pg)
	set(&m.Folder, *folder)
	set(&m.App, *app)
	set(&m.Pod, *pod)
	m.Autostart = *autostart
	m.DelayConfig.Delay = *delay
	simulator.Trace = *trace

	// Flags are checked before the model is built: a large model takes seconds.
	listenURL := &url.URL{Host: *listen}
	if *username != "" || *password != "" {
		if *username == "" || *password == "" {
			fatal("-username and -password go together")
		}
		listenURL.User = url.UserPassword(*username, *password)
	}
	if (*tlsCert != "") != (*tlsKey != "") {
		fatal("-tls-cert and -tls-key go together")
	}
	var tlsConfig *tls.Config
	if *useTLS {
		tlsConfig = new(tls.Config)
		if *tlsCert != "" {
			pair, err := tls.LoadX509KeyPair(*tlsCert, *tlsKey)
			if err != nil {
				fatal("loading -tls-cert/-tls-key: %v", err)
			}
			tlsConfig.Certificates = []tls.Certificate{pair}
		}
	} else if *tlsCert != "" || *certOut != "" {
		fatal("-tls-cert, -tls-key and -cert-out need -tls")
	}

	started := time.Now()
	if err := m.Create(); err != nil {
		fatal("creating the model: %v", err)
	}
	defer m.Remove()
	created := time.Since(started)
	if *paging {
		installPaging()
	}

	m.Service.Listen = listenURL
	m.Service.TLS = tlsConfig
	s := m.Service.NewServer()
	defer s.Close()

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	count := m.Count()
	fmt.Fprintf(os.Stderr, "vcsim: %s model: %d datacenters, %d clusters, %d hosts, %d VMs, %d pools; created in %.2f s, serving after %.2f s; Go heap %d MiB (sys %d MiB)\n",
		map[bool]string{true: "ESX", false: "VPX"}[*esx], count.Datacenter, count.Cluster, count.Host, count.Machine, count.Pool,
		created.Seconds(), time.Since(started).Seconds(), ms.HeapAlloc>>20, ms.Sys>>20)
	if *useTLS {
		cert := s.Certificate()
		sum := sha256.Sum256(cert.Raw)
		hexes := make([]string, len(sum))
		for i, b := range sum {
			hexes[i] = fmt.Sprintf("%02X", b)
		}
		fmt.Fprintf(os.Stderr, "vcsim: certificate SHA-256 %s\n", strings.Join(hexes, ":"))
		if *certOut != "" {
			pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
			if err := ioutil.WriteFile(*certOut, pemBytes, 0o644); err != nil {
				fatal("writing %s: %v", *certOut, err)
			}
		}
	}

	// The one line on stdout: the URL with the credentials the simulator accepts.
	fmt.Printf("VCSIM_URL=%s\n", s.URL.String())
	os.Stdout.Sync()

	done := make(chan string, 2)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() { done <- (<-sig).String() }()
	if *waitStdin {
		go func() {
			_, _ = io.Copy(ioutil.Discard, os.Stdin)
			done <- "stdin closed"
		}()
	}
	why := <-done
	fmt.Fprintf(os.Stderr, "vcsim: stopping (%s)\n", why)
}

func fatal(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "vcsim: "+format+"\n", args...)
	os.Exit(1)
}
