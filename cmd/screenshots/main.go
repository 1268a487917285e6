// Command screenshots photographs the pages of a running server at a
// phone's and a desktop's width, in the light and the dark theme, in
// Debian's headless Chromium: docs/screenshots.sh runs it over the
// relevance fixture.
//
//	screenshots -base http://127.0.0.1:18099 -out docs/screenshots [-themes light,dark] PAGES
//
// reads lines "name path" from the file PAGES (or stdin) and writes
// name-{desktop,phone}-{light,dark}.png. A shot is one screen (not the
// whole page): what a reader sees on arriving.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// screen is a viewport a page is looked at in.
type screen struct {
	name          string
	width, height int64
	mobile        bool
}

var screens = []screen{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}}

func main() {
	if err := run(os.Args[1:], os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func run(args []string, stdin io.Reader) error {
	fs := flag.NewFlagSet("screenshots", flag.ContinueOnError)
	base := fs.String("base", "http://127.0.0.1:18099", "the running server")
	out := fs.String("out", "docs/screenshots", "directory to write the PNGs to")
	chromium := fs.String("chromium", "chromium", "the browser")
	themes := fs.String("themes", "light,dark", "the colour schemes to shoot, comma-separated")
	if err := fs.Parse(args); err != nil {
		return err
	}
	in := stdin
	if fs.NArg() > 0 {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	type page struct{ name, path string }
	var pages []page
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		name, path, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		if !ok || strings.HasPrefix(name, "#") {
			continue
		}
		pages = append(pages, page{name, strings.TrimSpace(path)})
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(pages) == 0 {
		return errors.New("no pages: give lines of \"name /path\"")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(*chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 5*time.Minute)
	defer cancelTimeout()
	for _, scheme := range strings.Split(*themes, ",") {
		for _, s := range screens {
			for _, p := range pages {
				file := filepath.Join(*out, fmt.Sprintf("%s-%s-%s.png", p.name, s.name, scheme))
				if err := shoot(ctx, *base+p.path, s, scheme, file); err != nil {
					return fmt.Errorf("%s: %w", file, err)
				}
			}
		}
	}
	return nil
}

// shoot loads url in screen s and theme scheme and writes a PNG of what
// shows, recompressed at the best compression.
func shoot(ctx context.Context, url string, s screen, scheme, file string) error {
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(s.width, s.height, func(p *emulation.SetDeviceMetricsOverrideParams, t *emulation.SetTouchEmulationEnabledParams) {
			p.Mobile = s.mobile
			t.Enabled = s.mobile
		}),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{
				{Name: "prefers-color-scheme", Value: scheme},
				{Name: "prefers-reduced-motion", Value: "reduce"},
			}})
			return err
		}),
		chromedp.Navigate(url),
		// Let app.js scroll to a moment and thumbnails give up.
		chromedp.Sleep(300*time.Millisecond),
	)
	if err != nil {
		return err
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return err
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
		return err
	}
	return os.WriteFile(file, buf.Bytes(), 0o644)
}
