package main

import (
	"context"
	"errors"
	"net/http"
	"path"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/internal/postgres"
	"github.com/transcripts/site/views"
)

// pageError is an error with the status and reader-facing message of the
// page that reports it.
type pageError struct {
	status  int
	message string
	err     error // the cause, for the log; may be nil
}

func (e *pageError) Error() string {
	if e.err != nil {
		return e.message + ": " + e.err.Error()
	}
	return e.message
}

func (e *pageError) Unwrap() error { return e.err }

func badRequest(message string) error {
	return &pageError{status: http.StatusBadRequest, message: message}
}

// handleError turns any error a handler returns into a page in the site's
// layout with the right status. The reader never sees err.Error().
func (s *server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	// An error is not the page the caching headers described.
	h := c.Response().Header()
	for _, name := range []string{"ETag", "Last-Modified", "Cache-Control"} {
		h.Del(name)
	}
	h.Set("Cache-Control", "no-store")
	if errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
		// The reader left: nobody reads a page. The status is for the
		// request log, which reports every error once.
		c.Response().WriteHeader(statusClientClosed)
		return
	}
	status, message := classify(err)
	// The JSON API and the exports answer in their own kind.
	switch path.Ext(c.Request().URL.Path) {
	case ".json":
		_ = c.JSON(status, apiError{Status: status, Error: message})
		return
	case ".csv", ".sh", ".atom", ".xml", ".txt", ".srt", ".vtt", ".md":
		_ = c.String(status, message+"\n")
		return
	}
	page := views.ErrorPage(s.chrome(c, http.StatusText(status), "", c.QueryParam("q")), views.Error{
		Status:  status,
		Heading: heading(status),
		Message: message,
	})
	if rerr := s.render(c, status, page); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		_ = c.String(status, message)
	}
}

// classify maps an error to a status and a message for the reader.
func classify(err error) (int, string) {
	var pe *pageError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &pe):
		return pe.status, pe.message
	case errors.Is(err, catalog.ErrNotFound):
		return http.StatusNotFound, "There is no video at this address. It may have been removed, or the link may be mistyped."
	case errors.Is(err, catalog.ErrUnavailable) || postgres.Unavailable(err):
		return http.StatusServiceUnavailable, "The catalog is being updated. Please try again in a moment."
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "The server took too long to answer. Please try again in a moment."
	case errors.As(err, &he):
		switch he.Code {
		case http.StatusNotFound:
			return he.Code, "There is no page at this address. The link may be mistyped or out of date."
		case http.StatusMethodNotAllowed:
			return he.Code, "This address only answers GET requests: open it in your browser."
		}
		if he.Code < http.StatusInternalServerError {
			return he.Code, "The request could not be understood."
		}
		return he.Code, "Something went wrong on our side. Please try again."
	default:
		return http.StatusInternalServerError, "Something went wrong on our side. It has been logged; please try again."
	}
}

func heading(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusBadRequest:
		return "That address is not quite right"
	case http.StatusServiceUnavailable:
		return "Please try again in a moment"
	}
	if status >= http.StatusInternalServerError {
		return "Something went wrong"
	}
	return http.StatusText(status)
}
