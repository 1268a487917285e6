// Package relevance is the yardstick for search quality: a deterministic,
// podcast-like fixture collection with its ground truth, known-item
// queries generated from a collection, and the measures the relevance
// tests report (mean reciprocal rank of known items, the share of repeated
// text among the top hits).
//
// The package knows nothing of how search is done: a test hands it a
// SearchFunc over the real engine.
package relevance

import (
	"encoding/json"
	"fmt"
	"io"
)

// Kind says what a segment is, as the ground truth knows it.
type Kind int

const (
	// Conversation is genuine content.
	Conversation Kind = iota
	// Ad is a sponsor read.
	Ad
	// Intro is a show's recurring opening.
	Intro
	// Outro is a show's recurring closing.
	Outro
	// Script is an earnings call operator's script.
	Script
	// Disclaimer is an earnings call's forward-looking-statements notice.
	Disclaimer
)

func (k Kind) String() string {
	switch k {
	case Conversation:
		return "conversation"
	case Ad:
		return "ad"
	case Intro:
		return "intro"
	case Outro:
		return "outro"
	case Script:
		return "script"
	case Disclaimer:
		return "disclaimer"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Repeated reports whether k is text that recurs across episodes (ads,
// intros, outros, operator scripts, disclaimers): what issue 13 wants
// ranked below conversation.
func (k Kind) Repeated() bool { return k != Conversation }

// Segment is one row of a collection with what the ground truth knows
// about it. Kind, Cluster and Topic are never written to the imported
// data.
type Segment struct {
	VideoID   string
	Title     string
	Channel   string
	Published string // YYYY-MM-DD
	Speaker   string
	Start     int
	End       int
	Text      string

	Kind    Kind
	Cluster string // which recurring text, for repeated kinds: "ad:Clearfile", "intro:Lead Time"
	Topic   string // the conversation's topic, "" when unknown
}

// Corpus is a collection of segments, in video and time order.
type Corpus []Segment

// row is a segment as the dataset's JSON Lines write it, with the
// optional columns channel, published and speaker.
type row struct {
	VideoID   string `json:"video_id"`
	Title     string `json:"title"`
	Channel   string `json:"channel,omitempty"`
	Published string `json:"published,omitempty"`
	Speaker   string `json:"speaker,omitempty"`
	Start     int    `json:"start_second"`
	End       int    `json:"end_second"`
	Text      string `json:"text"`
	Thumbnail string `json:"thumbnail"`
}

// WriteJSONL writes c as the dataset's JSON Lines, one segment a line,
// without the ground truth.
func (c Corpus) WriteJSONL(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, s := range c {
		r := row{VideoID: s.VideoID, Title: s.Title, Channel: s.Channel, Published: s.Published,
			Speaker: s.Speaker, Start: s.Start, End: s.End, Text: s.Text}
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("relevance: write %s@%d: %w", s.VideoID, s.Start, err)
		}
	}
	return nil
}

// ReadJSONL reads the dataset's JSON Lines (with the optional channel,
// published and speaker columns) as a corpus of conversation; a caller
// labels repeated text itself (see LabelEarnings).
func ReadJSONL(r io.Reader) (Corpus, error) {
	dec := json.NewDecoder(r)
	var c Corpus
	for {
		var x row
		if err := dec.Decode(&x); err == io.EOF {
			return c, nil
		} else if err != nil {
			return nil, fmt.Errorf("relevance: read row %d: %w", len(c)+1, err)
		}
		c = append(c, Segment{VideoID: x.VideoID, Title: x.Title, Channel: x.Channel, Published: x.Published,
			Speaker: x.Speaker, Start: x.Start, End: x.End, Text: x.Text})
	}
}

// Videos returns the number of distinct videos in c.
func (c Corpus) Videos() int {
	seen := map[string]bool{}
	for _, s := range c {
		seen[s.VideoID] = true
	}
	return len(seen)
}

// key identifies a segment as search results do: its video and start.
type key struct {
	video string
	start int
}

// index maps each segment's video and start second to its position.
func (c Corpus) index() map[key]int {
	m := make(map[key]int, len(c))
	for i, s := range c {
		m[key{s.VideoID, s.Start}] = i
	}
	return m
}
