package main

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/transcripts/site/internal/catalog"
	"github.com/transcripts/site/views"
)

// channelURL is our page of a channel (a slug may hold any letter).
func channelURL(id string) string { return "/channels/" + url.PathEscape(id) }

// channelsPage lists every channel.
func (s *server) channelsPage(c echo.Context) error {
	channels, err := s.catalog.Channels(c.Request().Context())
	if err != nil {
		return err
	}
	m := views.Channels{Summary: plural(len(channels), "channel", "channels")}
	for _, ch := range channels {
		m.Channels = append(m.Channels, views.ChannelLink{Name: ch.Name, URL: channelURL(ch.ID), Count: plural(ch.Videos, "video", "videos"), Latest: dateOf(ch.Latest)})
	}
	chrome := s.chrome(c, "Channels", "Every channel and show in the catalog.", "")
	chrome.Alternates = []views.Alternate{{Type: "application/json", Href: "/channels.json", Title: "This page as JSON"}}
	return s.render(c, http.StatusOK, views.ChannelsPage(chrome, m))
}

// channel serves /channels/ID, a channel's videos, and its JSON twin
// /channels/ID.json.
func (s *server) channel(c echo.Context) error {
	file := c.Param("file")
	id, asJSON := strings.CutSuffix(file, ".json")
	if !catalog.ValidChannelID(id) {
		return &pageError{status: http.StatusNotFound, message: "There is no channel at this address."}
	}
	r, err := parseCatalogRequest(c, id)
	if err != nil {
		return err
	}
	ch, err := s.catalog.Channel(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if asJSON {
		return s.listingJSON(c, channelURL(id)+".json", r, &ch)
	}
	return s.listing(c, channelURL(id), r, &ch)
}
