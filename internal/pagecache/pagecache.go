// Package pagecache keeps rendered responses in memory, bounded in bytes,
// with their gzip form made once, so a page asked for again (a reload, a
// bookmark, a popular search) costs neither queries nor rendering nor
// compression. Entries are keyed by the caller, who puts the catalog
// version in the key: a new version makes every old entry unreachable, and
// the least recently used ones are dropped as new ones come.
package pagecache

import (
	"container/list"
	"net/http"
	"sync"
)

// Page is a cached response.
type Page struct {
	Status int
	Header http.Header // Content-Type, Content-Disposition, …
	Body   []byte
	Gzip   []byte // Body compressed, or nil when not worth it
}

func (p *Page) size() int { return len(p.Body) + len(p.Gzip) + 256 }

// Cache is a byte-bounded LRU of pages, safe for concurrent use.
type Cache struct {
	mu    sync.Mutex
	max   int
	bytes int
	order *list.List // front: most recently used
	items map[string]*list.Element
}

type entry struct {
	key  string
	page *Page
}

// New returns a cache holding at most maxBytes of pages.
func New(maxBytes int) *Cache {
	return &Cache{max: maxBytes, order: list.New(), items: map[string]*list.Element{}}
}

// Get returns the page stored under key.
func (c *Cache) Get(key string) (*Page, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*entry).page, true
}

// Fits reports whether the cache would keep a page of this size: one
// larger than an eighth of the cache is not kept.
func (c *Cache) Fits(page *Page) bool {
	return page.size()+len(page.Body)/2 <= c.max/8 // room for its gzip form too
}

// Put stores page under key, dropping the least recently used pages to
// make room. A page that does not fit is not kept.
func (c *Cache) Put(key string, page *Page) {
	if page.size() > c.max/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.bytes -= el.Value.(*entry).page.size()
		c.order.Remove(el)
		delete(c.items, key)
	}
	c.items[key] = c.order.PushFront(&entry{key, page})
	c.bytes += page.size()
	for c.bytes > c.max {
		last := c.order.Back()
		e := last.Value.(*entry)
		c.order.Remove(last)
		delete(c.items, e.key)
		c.bytes -= e.page.size()
	}
}

// Len returns the number of cached pages.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}
