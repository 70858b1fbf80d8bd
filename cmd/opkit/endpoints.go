package main

import "github.com/opkit-dev/opkit/staking/connect"

// addURLSecrets hides the secret parts of every URL of list in logs and
// alerts from now on.
func addURLSecrets(list string) {
	for _, u := range connect.URLs(list) {
		rpcSecrets.addURL(u)
	}
}
