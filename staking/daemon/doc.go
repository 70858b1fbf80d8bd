// Package daemon owns the staking daemon's wiring and lifecycle: from a
// chain client, an account and a Config it builds the transaction manager,
// the protection DB, the round watcher, the reward duty service, the
// Prometheus endpoint and the webhook alerts, runs them until the context
// ends, and tears them down in order (the duty stops first, a transaction
// already sent is seen through or left recorded, the DB lock is released
// last). Once runs the same duty a single time for cron.
package daemon
