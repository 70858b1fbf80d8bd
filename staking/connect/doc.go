// Package connect owns opening an operator account's connection to the
// protocol: the JSON-RPC endpoints (with failover, and a transport that
// keeps an RPC URL's secret parts out of every error), the contracts
// resolved from the Controller, the account's key, its host-wide lock, its
// transaction journal, and the transaction manager that takes over what an
// earlier run left pending.
//
// Commands fill Settings from their flags; Open does the rest, in the order
// that keeps two senders of one account apart: the lock before the journal,
// the journal before the transaction manager.
package connect
