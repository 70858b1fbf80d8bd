package deploy

import (
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"

	"github.com/opkit-dev/opkit/contracts/bindings"
)

// Contracts are the bindings of one deployed protocol.
type Contracts struct {
	Controller     *bindings.Controller
	Token          *bindings.LivepeerToken
	Minter         *bindings.Minter
	RoundsManager  *bindings.RoundsManager
	BondingManager *bindings.BondingManager
	JobsManager    *bindings.JobsManager
	Verifier       *bindings.Verifier
}

// Bind binds every contract of a.
func Bind(a *Addresses, backend bind.ContractBackend) (*Contracts, error) {
	var c Contracts
	var errs []error
	collect := func(name string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("bind %s: %w", name, err))
		}
	}
	var err error
	c.Controller, err = bindings.NewController(a.Controller, backend)
	collect("Controller", err)
	c.Token, err = bindings.NewLivepeerToken(a.Token, backend)
	collect("LivepeerToken", err)
	c.Minter, err = bindings.NewMinter(a.Minter, backend)
	collect("Minter", err)
	c.RoundsManager, err = bindings.NewRoundsManager(a.RoundsManager, backend)
	collect("RoundsManager", err)
	c.BondingManager, err = bindings.NewBondingManager(a.BondingManager, backend)
	collect("BondingManager", err)
	c.JobsManager, err = bindings.NewJobsManager(a.JobsManager, backend)
	collect("JobsManager", err)
	c.Verifier, err = bindings.NewVerifier(a.Verifier, backend)
	collect("Verifier", err)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &c, nil
}
