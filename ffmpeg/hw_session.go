package ffmpeg

import (
	"fmt"
	"strconv"

	"github.com/asticode/go-astiav"
)

// hwState is a session's CUDA device.
type hwState struct {
	dev *astiav.HardwareDeviceContext
}

// openHW opens CUDA device idx, or answers ErrNoGPU.
func openHW(idx int) (*hwState, error) {
	dev, err := astiav.CreateHardwareDeviceContext(astiav.HardwareDeviceTypeCUDA, strconv.Itoa(idx), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: cuda device %d: %w", ErrNoGPU, idx, err)
	}
	return &hwState{dev: dev}, nil
}

func (h *hwState) free() {}
