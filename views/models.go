// Package views holds the site's templ components and the view models they
// take. Components are pure: model in, markup out. Every URL and every
// formatted figure is computed before it reaches a component.
package views

// Chrome is what the layout around every page needs: the head's metadata
// for browsers, crawlers and link previews, and the header's search box.
type Chrome struct {
	Title       string // the page's own title; the site name is appended
	Description string
	Query       string // shown in the header's search box
	CSS         string // hashed asset URLs
	JS          string
	Icon        string

	Canonical  string // absolute URL of this page
	Image      string // absolute URL of the preview image, if any
	OGType     string // Open Graph type: "website" unless set
	Alternates []Alternate
	Prev, Next string // rel=prev/next of a paginated page
	JSONLD     any    // structured data for search engines, if any
}

// Alternate is another representation of the page: its JSON twin, a feed.
type Alternate struct {
	Type  string
	Href  string
	Title string
}

// Download is a link to an export of the page's data.
type Download struct {
	Label string // "SubRip (.srt)"
	Href  string
}

// Pager links to the neighbouring pages of a paginated list; an empty URL
// means there is no such page.
type Pager struct {
	Page  int
	Pages int
	// Of is the number of pages as the pager reads it: "1,204", or
	// "44+" when later pages may find more.
	Of   string
	Prev string
	Next string
}

// VideoCard is one video in the catalog grid.
type VideoCard struct {
	URL        string
	Title      string
	Thumbnail  string
	Length     string // "1:02:03" or "14:58"
	Segments   string // "34 lines"
	Channel    string // "" when unknown
	ChannelURL string
	Published  Date
}

// Date is a day as shown ("7 Nov 2023") and as <time datetime>
// ("2023-11-07"); zero when unknown.
type Date struct {
	Text     string
	Datetime string
}

// ChannelChoice is a channel in the catalog's channel filter.
type ChannelChoice struct {
	ID       string
	Name     string
	Selected bool
}

// Home is the catalog page, or a channel's page when Channel is set.
type Home struct {
	Heading  string // "Videos", or the channel's name
	Summary  string // "4 videos, 100 transcript lines"
	Channel  *ChannelHead
	Videos   []VideoCard
	Sorts    []Option // newest, oldest, title, length
	Channels []ChannelChoice
	// FilterAction is where the channel filter form goes, with the
	// current order kept in SortParam.
	FilterAction string
	SortParam    string
	Pager        Pager
	// EmptyCatalog: the catalog holds no video at all (not merely this
	// page): the page says how to import some.
	EmptyCatalog bool
}

// ChannelHead is what a channel's page says about it.
type ChannelHead struct {
	YouTubeURL string // "" when the channel's id is not YouTube's
	AllURL     string // the whole catalog
	Latest     Date
}

// ChannelLink is one channel on the page of channels.
type ChannelLink struct {
	Name   string
	URL    string
	Count  string // "12 videos"
	Latest Date
}

// Channels is the page listing every channel.
type Channels struct {
	Summary  string
	Channels []ChannelLink
}

// Line is one transcript line of a video page.
type Line struct {
	Anchor   string // "t898", the fragment that targets this line
	Moment   bool   // the line a moment URL points at
	Time     string // "14:58"
	Datetime string // "PT14M58S"
	WatchURL string // the moment on YouTube
	Start    int    // seconds, for the player
	CopyURL  string // our own URL of the moment, to copy or bookmark
	// QuoteURL, on the lines after a linked moment, quotes the passage
	// from the moment to the end of this line (?t=898-960): choosing a
	// range with plain links.
	QuoteURL string
	Text     string
	// Speaker is set on the first line of each speaker's turn: their name
	// is shown as text there, not told apart by colour alone, a link to
	// everything they say (SpeakerURL).
	Speaker    string
	SpeakerURL string
	// Chapters are the headings of the chapters this line is the first
	// of (usually none or one).
	Chapters []ChapterLink
	// Repeated: the line is repeated text (a sponsor read, an intro, an
	// outro said nearly word for word in other videos), shown dimmed,
	// never hidden. The first line of a block of them carries its label
	// ("repeated in 23 videos") and SkipURL, the first line after the
	// block ("" when the block ends the transcript).
	Repeated    bool
	RepeatLabel string
	SkipURL     string
	SkipLabel   string // "skip 4 repeated lines"
	// With an in-video search: the line's words with matches marked, and
	// the anchors of the previous and next matching lines.
	Match     bool
	Fragments []Fragment
	PrevMatch string
	NextMatch string
}

// VideoSearch is a search inside one video's transcript.
type VideoSearch struct {
	Query    string
	Summary  string // "7 moments" or a reason nothing could be searched
	Problem  bool
	Moments  []Tick
	AllURL   string // the same search over every video
	ClearURL string
}

// Tick is one matching moment: a link in the list, with a few words
// around the match, and on the timeline.
type Tick struct {
	Anchor   string
	Time     string
	Datetime string
	Position string // 0–1000 along the video, for the timeline
	Snippet  []Fragment
}

// Moment is the line a moment URL (/videos/ID?t=898) points at, or the
// passage a range (?t=898-960) quotes.
type Moment struct {
	Quote    string // the line's words, shortened (a single moment)
	Time     string // "14:58", or "14:58–16:00" for a range
	Anchor   string
	WatchURL string
	// A range: its lines, who says them, and the quote as text to copy
	// (speakers' names, the words, the title and the link).
	Lines     []QuoteLine
	QuoteText string
	Link      string // the range's own URL
}

// QuoteLine is one line of a quoted passage.
type QuoteLine struct {
	Speaker string // set when the speaker changes (and known)
	Text    string
}

// ChapterLink is a chapter of a video: a heading in the transcript and an
// entry in the list of chapters.
type ChapterLink struct {
	Title    string
	Anchor   string // "chapter-42", the heading's id
	Time     string // "0:42"
	Datetime string
	WatchURL string
}

// Video is the page of one video and its transcript.
type Video struct {
	Title      string
	Thumbnail  string
	WatchURL   string
	Channel    string // "" when unknown
	ChannelURL string
	Published  Date
	Length     string // "30:03"
	// Description is the source's, shown folded, its line breaks kept.
	Description string
	Tags        []string
	Chapters    []ChapterLink
	Speakers    []string // "Ada Lovelace (12 lines)", most lines first
	Meta        string   // "30:03 · 34 lines"
	Moment      *Moment  // set on a moment URL
	Search      *VideoSearch
	SearchURL   string // where the in-video search form goes
	ID          string // the YouTube id, for the player
	PlayerURL   string // the embed URL the player appends the id to
	Lines       []Line
	// RepeatKey explains the mark of repeated lines, when there are any.
	RepeatKey string
	Downloads []Download
}

// Fragment is a piece of a search snippet, highlighted when Match.
type Fragment struct {
	Text  string
	Match bool
}

// Hit is one search result.
type Hit struct {
	Title      string
	Thumbnail  string
	LineURL    string // the line in our video page
	WatchURL   string // the moment on YouTube
	Time       string // "14:58", when the matched words are spoken
	Datetime   string
	Snippet    []Fragment
	TitleMatch bool     // found by the video's title
	Missing    []string // in relaxed results, the query's words the line lacks
	Repeated   bool     // the line is repeated text: a sponsor read, an intro
	Speaker    string   // who says it, when known
	Chapter    string   // the chapter it is in, when the video has chapters
	Channel    string
	ChannelURL string
	Published  Date
	Copies     string // "and 11 more videos with this read", when folded
	CopiesURL  string // every copy that matches
}

// Group is one video's card on a grouped results page.
type Group struct {
	Title     string
	Thumbnail string
	VideoURL  string
	Count     string // "12 moments"
	AllURL    string // the video page searched for the query
	AllLabel  string // "all 12 moments in this video"
	Hits      []Hit
}

// Option is a choice among views of the same results (sort, grouping).
type Option struct {
	Label   string
	URL     string
	Current bool
}

// Facet is a video in the results' facet list: following its URL limits
// the search to it (or, when Active, lifts that limit).
type Facet struct {
	Title  string
	Count  string
	URL    string
	Active bool
}

// Filter is one thing that narrows results.
type Filter struct {
	Label   string // "speaker"
	Value   string // "Ada Lovelace"
	LiftURL string
}

// FacetGroup is one facet (channels, speakers, years) of results.
type FacetGroup struct {
	Title  string
	Facets []Facet
}

// Correction is a query searched with its misspelt words corrected.
type Correction struct {
	Query       string // what was searched
	URL         string
	Original    string // what was typed
	OriginalURL string // the typed words searched exactly
}

// Search is the results page; with no query it shows the syntax help.
type Search struct {
	Query      string
	Problem    string   // a reader-facing reason the query could not run
	Notices    []string // each that applies, e.g. words ignored past the limit
	Summary    string   // "27 moments in 3 videos" (empty without a query)
	Hits       []Hit
	Groups     []Group
	Facets     []Facet
	Sorts      []Option
	Groupings  []Option
	Correction *Correction
	// Filters narrow the results (channel, speaker, dates), each with the
	// link that lifts it.
	Filters []Filter
	// FacetGroups count the results by channel, speaker and year.
	FacetGroups []FacetGroup
	// ExactURL, on relaxed results (no line has every word), searches
	// for lines with every word.
	ExactURL string
	// AllVideos lifts the video filters, when there are any.
	AllVideos string
	Pager     Pager
	Empty     bool // the query ran and nothing matched
	// Browse: no words, only filters (a speaker, a channel, dates): every
	// line they allow is listed.
	Browse bool
	// Tips suggest searches from this collection, on the page with no
	// query and when nothing matched.
	Tips *Tips
	// Downloads export the whole result set (CSV, clip list, feed).
	Downloads []Download
}

// Doc is a page rendered from the shipped Markdown.
type Doc struct {
	HTML string // trusted HTML from goldmark
	Tips *Tips  // on the search help: examples from this collection
}

// Tips are search examples drawn from the collection itself: its
// frequent words and a prefix that starts several of them, each a link
// to its search. Nil for an empty catalog.
type Tips struct {
	Words       []Example // frequent words, most frequent first
	Prefix      Example   // "inves*"
	PrefixWords []string  // what it finds: "investor", "investing"
	Either      Example   // "pricing OR runway"
	Without     Example   // "pricing -runway"
}

// Example is a search to try: the query as typed, and its results.
type Example struct {
	Query string
	URL   string
}

// Error is a page for a failed request.
type Error struct {
	Status  int
	Heading string
	Message string
}
