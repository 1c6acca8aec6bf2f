// Package pantry tracks household stock and reports what is running low.
package pantry

import (
	"fmt"
	"sort"
)

// Thresholds used when deciding whether to restock.
const (
	LowStock     = 2
	DefaultStock = 4
)

// Stocker is anything that can report and change stock levels.
type Stocker interface {
	Add(name string, qty int)
	Count(name string) int
}

// Shelf is a simple in-memory Stocker.
type Shelf struct {
	Label string
	stock map[string]int
}

// NewShelf returns an empty shelf with the given label.
func NewShelf(label string) *Shelf {
	return &Shelf{Label: label, stock: make(map[string]int)}
}

// Add puts qty units of name on the shelf.
func (s *Shelf) Add(name string, qty int) {
	s.stock[name] += qty
}

// Count returns how many units of name are on the shelf.
func (s *Shelf) Count(name string) int {
	return s.stock[name]
}

// Names returns the item names on the shelf in sorted order.
func (s *Shelf) Names() []string {
	names := make([]string, 0, len(s.stock))
	for name := range s.stock {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Restock tops up every listed item that has fallen below LowStock.
func Restock(st Stocker, names []string) []string {
	var topped []string
	for _, name := range names {
		if n := st.Count(name); n < LowStock {
			st.Add(name, DefaultStock-n)
			topped = append(topped, fmt.Sprintf("%s(+%d)", name, DefaultStock-n))
		}
	}
	return topped
}
