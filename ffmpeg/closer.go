package ffmpeg

// closer runs cleanup functions in reverse order of registration, once.
// Every C object a pipeline stage (a rendition worker, the decoder, Probe,
// PSNR, the synthetic generator) allocates is registered with its owner's
// closer right after its allocation, so every exit path, a construction
// that fails half way included, frees it.
type closer struct{ fns []func() }

func (c *closer) add(fn func()) { c.fns = append(c.fns, fn) }

func (c *closer) close() {
	for i := len(c.fns) - 1; i >= 0; i-- {
		c.fns[i]()
	}
	c.fns = nil
}
