package bench

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
)

// Chart is a line chart written as a standalone SVG document: axes with
// ticks and labels, one polyline with markers per series, and dashed
// horizontal reference lines.
type Chart struct {
	Title, Subtitle string
	XLabel, YLabel  string
	// XInteger puts ticks on whole numbers only (for counts).
	XInteger bool
	Series   []Series
	Lines    []HLine
}

// Series is one line of the chart.
type Series struct {
	Name   string
	Points []Point
}

// Point is one data point.
type Point struct{ X, Y float64 }

// HLine is a horizontal reference line across the plot.
type HLine struct {
	Y     float64
	Label string
	Color string // any SVG colour; empty: grey
}

// Chart geometry, in SVG user units.
const (
	chartW, chartH               = 800.0, 500.0
	plotL, plotR, plotT, plotB   = 90.0, 770.0, 80.0, 430.0
	chartFont                    = "font-family=\"DejaVu Sans, Arial, sans-serif\""
	chartTicks                   = 6
	seriesColor0, seriesMarkerSz = "#2e86c1", 4.5
)

// WriteSVG writes the chart. Non-finite values are left out.
func (c Chart) WriteSVG(w io.Writer) error {
	bw := bufio.NewWriter(w)
	x0, x1, y0, y1 := c.bounds()
	sx := func(x float64) float64 { return plotL + (x-x0)/(x1-x0)*(plotR-plotL) }
	sy := func(y float64) float64 { return plotB - (y-y0)/(y1-y0)*(plotB-plotT) }
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }

	p(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" %s>`+"\n",
		chartW, chartH, chartW, chartH, chartFont)
	p(`<rect x="0" y="0" width="%g" height="%g" fill="white"/>`+"\n", chartW, chartH)
	p(`<text x="%g" y="30" font-size="%.1f" text-anchor="middle" font-weight="bold">%s</text>`+"\n", chartW/2, fitFont(c.Title, 20), esc(c.Title))
	p(`<text x="%g" y="54" font-size="%.1f" text-anchor="middle" fill="#444">%s</text>`+"\n", chartW/2, fitFont(c.Subtitle, 14), esc(c.Subtitle))

	// Grid and tick labels.
	for _, t := range ticks(y0, y1, chartTicks, false) {
		y := sy(t)
		p(`<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="#e5e5e5"/>`+"\n", plotL, y, plotR, y)
		p(`<text x="%g" y="%.1f" font-size="12" text-anchor="end">%s</text>`+"\n", plotL-8, y+4, fmtTick(t))
	}
	for _, t := range ticks(x0, x1, chartTicks, c.XInteger) {
		x := sx(t)
		p(`<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="#e5e5e5"/>`+"\n", x, plotT, x, plotB)
		p(`<text x="%.1f" y="%g" font-size="12" text-anchor="middle">%s</text>`+"\n", x, plotB+20, fmtTick(t))
	}
	// Axes and axis labels.
	p(`<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="black"/>`+"\n", plotL, plotB, plotR, plotB)
	p(`<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="black"/>`+"\n", plotL, plotT, plotL, plotB)
	p(`<text x="%g" y="%g" font-size="14" text-anchor="middle">%s</text>`+"\n", (plotL+plotR)/2, plotB+44, esc(c.XLabel))
	p(`<text x="24" y="%g" font-size="14" text-anchor="middle" transform="rotate(-90 24 %g)">%s</text>`+"\n",
		(plotT+plotB)/2, (plotT+plotB)/2, esc(c.YLabel))

	for _, l := range c.Lines {
		if !finite(l.Y) {
			continue
		}
		col := l.Color
		if col == "" {
			col = "#888888"
		}
		y := sy(l.Y)
		p(`<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="%s" stroke-width="1.5" stroke-dasharray="6 4"/>`+"\n",
			plotL, y, plotR, y, esc(col))
		p(`<text x="%g" y="%.1f" font-size="12" fill="%s">%s</text>`+"\n", plotL+6, y-5, esc(col), esc(l.Label))
	}
	for i, s := range c.Series {
		col := seriesColor(i)
		pts := ""
		for _, pt := range s.Points {
			if finite(pt.X) && finite(pt.Y) {
				pts += fmt.Sprintf("%.1f,%.1f ", sx(pt.X), sy(pt.Y))
			}
		}
		p(`<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", col, pts)
		for _, pt := range s.Points {
			if finite(pt.X) && finite(pt.Y) {
				p(`<circle cx="%.1f" cy="%.1f" r="%g" fill="%s"><title>%s: %s, %s</title></circle>`+"\n",
					sx(pt.X), sy(pt.Y), seriesMarkerSz, col, esc(s.Name), fmtTick(pt.X), strconv.FormatFloat(pt.Y, 'f', 3, 64))
			}
		}
		// Legend entry, bottom left under the axis, one column per series.
		lx, ly := plotL+float64(i)*200, chartH-12
		p(`<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="%s" stroke-width="2"/>`+"\n", lx, ly-4, lx+24, ly-4, col)
		p(`<circle cx="%g" cy="%g" r="%g" fill="%s"/>`+"\n", lx+12, ly-4, seriesMarkerSz, col)
		p(`<text x="%g" y="%g" font-size="12">%s</text>`+"\n", lx+30, ly, esc(s.Name))
	}
	p("</svg>\n")
	return bw.Flush()
}

// bounds returns the data range padded to round numbers, including the
// reference lines and zero on the y axis.
func (c Chart) bounds() (x0, x1, y0, y1 float64) {
	x0, x1 = math.Inf(1), math.Inf(-1)
	y0, y1 = 0, math.Inf(-1)
	for _, s := range c.Series {
		for _, p := range s.Points {
			if finite(p.X) && finite(p.Y) {
				x0, x1 = math.Min(x0, p.X), math.Max(x1, p.X)
				y0, y1 = math.Min(y0, p.Y), math.Max(y1, p.Y)
			}
		}
	}
	for _, l := range c.Lines {
		if finite(l.Y) {
			y0, y1 = math.Min(y0, l.Y), math.Max(y1, l.Y)
		}
	}
	if math.IsInf(x0, 1) {
		x0, x1 = 0, 1
	}
	if c.XInteger {
		x0 = math.Min(x0, 1) - 0.5
		x1 += 0.5
	}
	if x1 <= x0 {
		x1 = x0 + 1
	}
	if math.IsInf(y1, -1) || y1 <= y0 {
		y1 = y0 + 1
	}
	y1 += (y1 - y0) * 0.1 // room above the highest point
	step := niceStep((y1 - y0) / chartTicks)
	return x0, x1, math.Floor(y0/step) * step, math.Ceil(y1/step) * step
}

// ticks returns about n round tick values within [lo, hi].
func ticks(lo, hi float64, n int, integer bool) []float64 {
	step := niceStep((hi - lo) / float64(n))
	if integer {
		step = math.Max(1, math.Round(step))
	}
	var out []float64
	for t := math.Ceil(lo/step) * step; t <= hi+step*1e-9; t += step {
		out = append(out, t)
	}
	return out
}

// niceStep rounds a raw step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || !finite(raw) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// fitFont shrinks a font size so that text of that many characters fits
// the chart's width (about 0.6 em per character in a sans-serif face).
func fitFont(text string, size float64) float64 {
	if n := float64(len([]rune(text))); n*size*0.6 > chartW-20 {
		return max((chartW-20)/(n*0.6), 8)
	}
	return size
}

func fmtTick(v float64) string {
	if math.Abs(v) < 1e-9 {
		v = 0
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

func seriesColor(i int) string {
	palette := []string{seriesColor0, "#27ae60", "#8e44ad", "#d35400"}
	return palette[i%len(palette)]
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func esc(s string) string { return html.EscapeString(s) }
