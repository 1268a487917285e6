package pagecache

import (
	"bytes"
	"fmt"
	"testing"
)

func page(n int) *Page { return &Page{Status: 200, Body: bytes.Repeat([]byte("x"), n)} }

func TestEvictsLeastRecentlyUsed(t *testing.T) {
	c := New(8 * (1000 + 256))
	for i := range 8 {
		c.Put(fmt.Sprint(i), page(1000))
	}
	c.Get("0") // 0 is now the most recently used
	c.Put("new", page(1000))
	if _, ok := c.Get("1"); ok {
		t.Error("the least recently used page was kept")
	}
	for _, k := range []string{"0", "new", "7"} {
		if _, ok := c.Get(k); !ok {
			t.Errorf("page %s was dropped", k)
		}
	}
	if c.Len() != 8 {
		t.Errorf("%d pages, want 8", c.Len())
	}
	c.Put("huge", page(4000)) // over an eighth of the cache
	if _, ok := c.Get("huge"); ok {
		t.Error("a page too large was kept")
	}
	c.Put("0", page(10)) // replacing frees the old size
	if c.bytes != 7*(1000+256)+10+256 {
		t.Errorf("accounted %d bytes", c.bytes)
	}
}

func TestZeroSizeCacheKeepsNothing(t *testing.T) {
	c := New(0)
	c.Put("a", page(1))
	if c.Len() != 0 || c.Fits(page(1)) {
		t.Error("a cache of 0 bytes kept a page")
	}
}
