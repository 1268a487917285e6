// Package data ships the sample transcripts and the site's Markdown pages
// inside the binary, so it runs anywhere with no other file.
package data

import "embed"

// SampleName is the name of the embedded sample in import messages.
const SampleName = "sample.jsonl"

// Sample holds 100 real segments of 4 videos from the public dataset of
// ML-lecture transcripts, in its JSON Lines format.
//
//go:embed sample.jsonl
var Sample []byte

// Pages holds the Markdown pages under pages/, served at /about and
// /help/search.
//
//go:embed pages/*.md
var Pages embed.FS
