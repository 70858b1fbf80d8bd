package ffmpeg

import (
	"errors"
	"fmt"

	"github.com/asticode/go-astiav"
)

// sourceGraph is a filter graph with no inputs (testsrc2, sine) ending in a
// buffersink or abuffersink that frames are pulled from.
type sourceGraph struct {
	graph *astiav.FilterGraph
	sink  *astiav.FilterContext
}

// newSourceGraph parses desc, a filter chain starting with a source filter,
// and connects its output to a sink of the given kind.
func newSourceGraph(desc, sinkFilter string) (*sourceGraph, error) {
	g := &sourceGraph{graph: astiav.AllocFilterGraph()}
	if g.graph == nil {
		return nil, errors.New("allocating filter graph failed")
	}
	f := astiav.FindFilterByName(sinkFilter)
	if f == nil {
		g.free()
		return nil, fmt.Errorf("filter %s: %w", sinkFilter, astiav.ErrFilterNotFound)
	}
	var err error
	if g.sink, err = g.graph.NewFilterContext(f, "out", nil); err != nil {
		g.free()
		return nil, fmt.Errorf("creating %s: %w", sinkFilter, err)
	}
	inputs := astiav.AllocFilterInOut()
	defer inputs.Free()
	inputs.SetName("out")
	inputs.SetFilterContext(g.sink)
	inputs.SetPadIdx(0)
	inputs.SetNext(nil)
	if err := g.graph.Parse(desc, inputs, nil); err != nil {
		g.free()
		return nil, fmt.Errorf("parsing %q: %w", desc, err)
	}
	if err := g.graph.Configure(); err != nil {
		g.free()
		return nil, fmt.Errorf("configuring %q: %w", desc, err)
	}
	return g, nil
}

func (g *sourceGraph) free() {
	if g.graph != nil {
		g.graph.Free()
		g.graph = nil
	}
}
