package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// The overload run (issue 16, item 3): how long ordinary searches take
// while a few clients send the most expensive queries the site accepts.
// Ordinary clients time the searches of the mix file's rare, mid and and
// classes, first alone and then beside 8 clients sending expensive
// queries, all over loopback, each phase bounded by -duration.
//
//	go run ./cmd/bench -overload -db /tmp/b300k.db -duration 15s
//	go run ./cmd/bench -overload -db /tmp/b300k.db -web /tmp/web-before

// overloadClients is how many clients send expensive queries at once.
const overloadClients = 8

// ordinaryClients is how many clients time ordinary searches.
const ordinaryClients = 2

// expensiveQueries are the costliest requests the issue found, then the
// costliest that the query bounds still accept (the same shapes cut to
// the bounds: 4 prefixes of 3 letters, a phrase of 8 common words, 24
// common words).
func expensiveQueries() []string {
	var alphabet []string
	for c := 'a'; c <= 'x'; c++ {
		alphabet = append(alphabet, string(c)+"*")
	}
	orChain := strings.Join(alphabet, " OR ")
	the240 := `"` + strings.TrimSpace(strings.Repeat("the ", 240)) + `"`
	bounded := "the* OR con* OR pro* OR com*"
	the8 := `"` + strings.TrimSpace(strings.Repeat("the ", 8)) + `"`
	common := "the a of and to in is it that this we you for on with be are as not or at have can so"
	var paths []string
	for _, p := range []struct{ path, q, extra string }{
		{"/search", orChain, ""},
		{"/search.csv", orChain, "&sort=time"},
		{"/search", the240, ""},
		{"/search", bounded, ""},
		{"/search.csv", bounded, "&sort=time"},
		{"/search.json", bounded, "&sort=time"},
		{"/search", the8, ""},
		{"/search.csv", the8, "&sort=time"},
		{"/search", common, ""},
	} {
		paths = append(paths, p.path+"?"+url.Values{"q": {p.q}}.Encode()+p.extra)
	}
	return paths
}

// overloadResult is what one phase measured.
type overloadResult struct {
	ordinary        []time.Duration // answered 200
	ordinaryStatus  map[int]int
	expensiveStatus map[int]int
	healthz         []time.Duration
}

// overload measures ordinary searches alone, then beside the expensive
// clients, and prints both as Markdown.
func overload(web string, cfg config, mix map[string][]string, out io.Writer, log func(string, ...any)) error {
	var ordinary []string
	for _, class := range []string{"rare", "mid", "and"} {
		for _, q := range mix[class] {
			ordinary = append(ordinary, "/search?"+url.Values{"q": {q}}.Encode())
		}
	}
	srv, err := start(web, cfg.db, "-cache-mb", "0")
	if err != nil {
		return err
	}
	defer srv.stop()
	log("ordinary searches alone")
	alone := overloadPhase(srv.base, ordinary, nil, cfg.duration)
	log("ordinary searches beside %d expensive clients", overloadClients)
	loaded := overloadPhase(srv.base, ordinary, expensiveQueries(), cfg.duration)

	fmt.Fprintf(out, "| %d ordinary clients, %s each, page cache off | searches | p50 | p99 | non-200 | /healthz p99 |\n|---|---|---|---|---|---|\n",
		ordinaryClients, cfg.duration)
	for _, r := range []struct {
		name string
		res  overloadResult
	}{{"alone", alone}, {fmt.Sprintf("beside %d expensive clients", overloadClients), loaded}} {
		fmt.Fprintf(out, "| %s | %d | %s | %s | %s | %s |\n", r.name, len(r.res.ordinary),
			ms(pct(r.res.ordinary, 50)), ms(pct(r.res.ordinary, 99)), statuses(r.res.ordinaryStatus, true), ms(pct(r.res.healthz, 99)))
	}
	fmt.Fprintf(out, "\np99 beside the expensive clients / p99 alone: %.1f×\n", float64(pct(loaded.ordinary, 99))/float64(max(1, pct(alone.ordinary, 99))))
	fmt.Fprintf(out, "\nExpensive requests' answers: %s\n", statuses(loaded.expensiveStatus, false))
	return nil
}

// statuses formats a count of answers by status.
func statuses(m map[int]int, skipOK bool) string {
	var parts []string
	for _, code := range []int{200, 304, 400, 404, 499, 500, 503, 0} {
		if n := m[code]; n > 0 && !(skipOK && code == 200) {
			name := fmt.Sprint(code)
			if code == 0 {
				name = "errors"
			}
			parts = append(parts, fmt.Sprintf("%d × %s", n, name))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// overloadPhase runs ordinaryClients sequential clients over ordinary and
// overloadClients over expensive (none when it is empty) for d, and a
// health probe every 100 ms.
func overloadPhase(base string, ordinary, expensive []string, d time.Duration) overloadResult {
	transport := &http.Transport{MaxIdleConnsPerHost: 32, DisableCompression: true}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: time.Minute}
	until := time.Now().Add(d)
	res := overloadResult{ordinaryStatus: map[int]int{}, expensiveStatus: map[int]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	do := func(path string) (int, time.Duration) {
		t := time.Now()
		resp, err := client.Get(base + path)
		if err != nil {
			return 0, time.Since(t)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, time.Since(t)
	}
	for w := range ordinaryClients {
		wg.Go(func() {
			for i := w; time.Now().Before(until); i += ordinaryClients {
				code, took := do(ordinary[i%len(ordinary)])
				mu.Lock()
				res.ordinaryStatus[code]++
				if code == http.StatusOK {
					res.ordinary = append(res.ordinary, took)
				}
				mu.Unlock()
			}
		})
	}
	if len(expensive) > 0 {
		for w := range overloadClients {
			wg.Go(func() {
				for i := w; time.Now().Before(until); i++ {
					code, _ := do(expensive[i%len(expensive)])
					mu.Lock()
					res.expensiveStatus[code]++
					mu.Unlock()
					if code == http.StatusServiceUnavailable {
						time.Sleep(100 * time.Millisecond) // as Retry-After asks, roughly
					}
				}
			})
		}
	}
	wg.Go(func() {
		for time.Now().Before(until) {
			if code, took := do("/healthz"); code == http.StatusOK {
				mu.Lock()
				res.healthz = append(res.healthz, took)
				mu.Unlock()
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	wg.Wait()
	return res
}
