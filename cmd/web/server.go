package main

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/transcripts/site/internal/docs"
	"github.com/transcripts/site/internal/pagecache"
	"github.com/transcripts/site/internal/search"
	"github.com/transcripts/site/static"
)

// server holds what the HTTP handlers depend on.
type server struct {
	catalog store
	search  *search.Engine
	assets  *static.Assets
	docs    map[string]docs.Page
	log     *slog.Logger
	baseURL string // configured public origin, or "" for each request's
	// trustProxy believes a proxy's X-Forwarded-Proto and -Host.
	trustProxy bool
	cors       bool
	pages      *pagecache.Cache
	version    *versionCache
	tipCache   *tipsCache // search examples drawn from the collection
	limiter    *searchLimiter
	// The "Watch here" player: the embed URL and the origin pages may frame.
	playerURL, playerOrigin string
}

// statusClientClosed is logged for a request whose reader left before the
// answer was ready (nginx's 499): nothing was sent.
const statusClientClosed = 499

// slowRequest is the latency above which a good request is logged.
const slowRequest = 500 * time.Millisecond

// handler is the site: the page cache answers what it holds, the Echo
// application the rest.
func (s *server) handler() http.Handler { return s.fromCache(s.app()) }

// app builds the Echo application: middleware, error pages, routes.
func (s *server) app() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	// /videos/ID/ is /videos/ID: one address per page, the other
	// redirects to it (with its query).
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	// Requests that went wrong or slowly are logged, once each, with the
	// status the reader got (the error handler runs first); a line for
	// each of thousands of good ones a second would cost more than
	// serving them. A reader who left is not the server's fault.
	e.Use(middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogError: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			took := v.Latency.Round(time.Microsecond)
			switch {
			case v.Status == statusClientClosed:
				s.log.Info("client closed request", "method", v.Method, "uri", v.URI, "status", v.Status, "took", took)
			case v.Status >= http.StatusInternalServerError:
				s.log.Error("request failed", "method", v.Method, "uri", v.URI, "status", v.Status, "took", took, "err", v.Error)
			case v.Status >= http.StatusBadRequest || v.Latency > slowRequest:
				s.log.Info("request", "method", v.Method, "uri", v.URI, "status", v.Status, "took", took)
			}
			return nil
		},
	}))
	// A panic becomes a 500 page through handleError, not a dropped
	// connection; its error goes up to the request log.
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisablePrintStack: true, DisableErrorHandler: true}))
	e.Use(s.securityHeaders)
	if s.cors {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins: []string{"*"},
			AllowMethods: []string{http.MethodGet, http.MethodHead},
		}))
	}
	s.routes(e)
	return e
}

// routes lists every URL of the site. Pages answer HEAD as well as GET.
func (s *server) routes(e *echo.Echo) {
	get := func(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		e.GET(path, h, m...)
		e.HEAD(path, h, m...)
	}
	pages, searches := s.cached(maxAgePages), s.cached(maxAgeSearch)
	get("/", s.homePage, pages)
	get("/videos.json", s.videosJSON, pages)
	// /videos/ID and its exports /videos/ID.json, .txt, .srt, .vtt, .md
	get("/videos/:file", s.video, pages)
	get("/channels", s.channelsPage, pages)
	get("/channels.json", s.channelsJSON, pages)
	// /channels/ID and its JSON twin /channels/ID.json
	get("/channels/:file", s.channel, pages)
	// Searches the page cache does not hold wait for a slot (limit.go).
	get("/search", s.searchPage, s.limitSearches, searches)
	get("/search.json", s.searchJSON, s.limitSearches, searches)
	get("/search.atom", s.searchAtom, s.limitSearches, searches)
	// Streamed downloads: neither cached nor compressed.
	get("/search.csv", s.searchCSV, s.limitSearches)
	get("/search.sh", s.searchClips, s.limitSearches)
	get("/opensearch.xml", s.openSearch, pages)
	get("/sitemap.xml", s.sitemap, pages)
	get("/robots.txt", s.robots, pages)
	get("/about", s.docPage("about"), pages)
	get("/help/search", s.docPage("search-help"), pages)
	get("/healthz", s.healthz)
	get(static.Prefix+":file", s.staticFile)
}

// securityHeaders forbids what the site never does: inline scripts and
// styles, being framed, sniffing. Thumbnails come from YouTube's image
// host; the only frame is the player, loaded when the reader asks.
func (s *server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	csp := "default-src 'self'; img-src 'self' https:; frame-src " + s.playerOrigin +
		"; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		return next(c)
	}
}

// healthz answers "ok" while the database answers.
func (s *server) healthz(c echo.Context) error {
	if err := s.catalog.Ping(c.Request().Context()); err != nil {
		s.log.Error("health check failed", "err", err)
		return c.String(http.StatusServiceUnavailable, "database unavailable\n")
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.String(http.StatusOK, "ok\n")
}

// staticFile serves an embedded asset by its hashed name.
func (s *server) staticFile(c echo.Context) error {
	h, ok := s.assets.Lookup(c.Param("file"))
	if !ok {
		return echo.ErrNotFound
	}
	h.ServeHTTP(c.Response(), c.Request())
	return nil
}
