package main

import (
	"context"
	"net/http"
	"path"
	"runtime"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/internal/search"
)

// searchLimiter bounds the searches running at once to what the database
// pool can serve, so that a burst of them queues briefly and then is told
// to come back, instead of every search, page and health check waiting
// for a connection. Costly searches (a prefix, OR, a phrase, more than
// four words, a whole export, or a grouped page past search.MaxPage,
// which looks for older videos one by one) have fewer slots of their own:
// a few of them at once take every core. Cached pages are answered before the limiter (fromCache), and
// pages other than searches and /healthz never meet it.
type searchLimiter struct {
	running chan struct{} // a token per search running
	costly  chan struct{} // a token per costly search running
	// A token per search running or waiting, costly ones apart: costly
	// searches waiting for their slot never fill the queue of the others.
	tickets, costlyTickets chan struct{}
	wait                   time.Duration // longest a search waits for a slot
}

// Limits of the search limiter; zero values take the defaults.
type searchLimits struct {
	Searches, Costly, Queue int
	Wait                    time.Duration
}

// retryAfter is what a busy answer asks the reader to wait, in seconds.
const retryAfter = 1

func newSearchLimiter(l searchLimits) *searchLimiter {
	if l.Searches <= 0 {
		// The catalog's pool has two connections per core: one is kept
		// for pages, health checks and the version check.
		l.Searches = max(1, 2*runtime.NumCPU()-1)
	}
	if l.Costly <= 0 {
		l.Costly = max(1, runtime.NumCPU()/2)
	}
	if l.Queue < 0 {
		l.Queue = 0
	} else if l.Queue == 0 {
		l.Queue = 2 * l.Searches
	}
	if l.Wait <= 0 {
		l.Wait = time.Second
	}
	l.Costly = min(l.Costly, l.Searches)
	return &searchLimiter{
		running:       make(chan struct{}, l.Searches),
		costly:        make(chan struct{}, l.Costly),
		tickets:       make(chan struct{}, l.Searches+l.Queue),
		costlyTickets: make(chan struct{}, l.Costly+min(l.Queue, l.Costly)),
		wait:          l.Wait,
	}
}

// errBusy is the answer to a search that found no slot.
var errBusy = &pageError{status: http.StatusServiceUnavailable, message: "The server is busy with other searches. Please try again in a moment."}

// acquire takes a slot for a search (and a costly one when costly),
// waiting at most l.wait, and returns the function that gives them back.
func (l *searchLimiter) acquire(ctx context.Context, costly bool) (func(), error) {
	tickets := l.tickets
	if costly {
		tickets = l.costlyTickets
	}
	select {
	case tickets <- struct{}{}:
	default:
		return nil, errBusy // the queue is full: no use waiting
	}
	var timer *time.Timer // made only when a search has to wait
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	var held []chan struct{}
	release := func() {
		for _, ch := range held {
			<-ch
		}
		<-tickets
	}
	slots := []chan struct{}{l.running}
	if costly {
		slots = []chan struct{}{l.costly, l.running}
	}
	for _, ch := range slots {
		select {
		case ch <- struct{}{}: // a free slot is taken even when the wait is over
			held = append(held, ch)
			continue
		default:
		}
		if timer == nil {
			timer = time.NewTimer(l.wait)
		}
		select {
		case ch <- struct{}{}:
			held = append(held, ch)
		case <-timer.C:
			release()
			return nil, errBusy
		case <-ctx.Done():
			release()
			return nil, ctx.Err()
		}
	}
	return release, nil
}

// limitSearches runs a search handler when the limiter gives it a slot,
// else answers 503 with Retry-After.
func (s *server) limitSearches(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		costly := false
		switch path.Ext(c.Request().URL.Path) {
		case ".csv", ".sh": // up to search.RankCap hits, streamed
			costly = true
		}
		if q, err := search.Parse(c.QueryParam("q")); err == nil && q.Costly() {
			costly = true
		}
		if page, err := strconv.Atoi(c.QueryParam("page")); err == nil && page > search.MaxPage {
			costly = true
		}
		release, err := s.limiter.acquire(c.Request().Context(), costly)
		if err != nil {
			if err == errBusy {
				c.Response().Header().Set("Retry-After", strconv.Itoa(retryAfter))
			}
			return err
		}
		defer release()
		return next(c)
	}
}
