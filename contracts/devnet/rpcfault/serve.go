package rpcfault

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

type rpcReq struct {
	ID     json.RawMessage   `json:"id"`
	Method string            `json:"method"`
	Params []json.RawMessage `json:"params"`
}

// ServeHTTP injects the current faults into one JSON-RPC request.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !p.enter() {
		http.Error(w, "closed", http.StatusServiceUnavailable)
		return
	}
	defer p.handlers.Done()
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	f := p.faults()
	var req rpcReq
	single := json.Unmarshal(body, &req) == nil
	if !p.injectBefore(w, r, f) {
		return
	}
	if single && p.rewritePrice(w, req, f) {
		return
	}
	txIndex := -1
	if single && req.Method == "eth_sendRawTransaction" {
		txIndex = p.record(r.Context(), req)
	}
	resp, err := p.forward(r.Context(), body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if txIndex >= 0 {
		p.forwarded(txIndex)
		if f.HoldSends {
			p.count("held")
			select {
			case <-r.Context().Done():
			case <-p.stop:
			}
			panic(http.ErrAbortHandler)
		}
	}
	if single && f.StaleBaseFee && req.Method == "eth_getBlockByNumber" {
		resp = hideBaseFee(resp)
		p.count("base_fee_hidden")
	}
	if p.chance(f.LoseRate) {
		p.count("lost")
		panic(http.ErrAbortHandler)
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(resp)
}

// injectBefore applies the faults that act before forwarding; false when the
// request was answered (or aborted) here.
func (p *Proxy) injectBefore(w http.ResponseWriter, r *http.Request, f Faults) bool {
	switch {
	case f.Down:
		p.count("down")
		http.Error(w, "down", http.StatusServiceUnavailable)
		return false
	case p.chance(f.ErrRate):
		p.count("5xx")
		http.Error(w, "injected", http.StatusBadGateway)
		return false
	case p.chance(f.DropRate):
		p.count("dropped")
		panic(http.ErrAbortHandler)
	case p.chance(f.StallRate):
		p.count("stalled")
		select {
		case <-time.After(f.Stall):
		case <-r.Context().Done():
			return false
		case <-p.stop:
			return false
		}
	}
	return true
}

// rewritePrice answers the gas price queries itself under GasPrice or
// StaleBaseFee; false when the request goes on to the node.
func (p *Proxy) rewritePrice(w http.ResponseWriter, req rpcReq, f Faults) bool {
	if req.Method != "eth_gasPrice" && req.Method != "eth_maxPriorityFeePerGas" {
		return false
	}
	switch {
	case f.GasPrice != nil:
		p.count("gas_rewritten")
		writeResult(w, req.ID, (*hexutil.Big)(f.GasPrice))
	case f.StaleBaseFee:
		p.count("base_fee_hidden")
		writeResult(w, req.ID, hexutil.Uint64(1))
	default:
		return false
	}
	return true
}

// hideBaseFee sets baseFeePerGas to zero in a block answer.
func hideBaseFee(resp []byte) []byte {
	var msg map[string]json.RawMessage
	if json.Unmarshal(resp, &msg) != nil {
		return resp
	}
	var block map[string]json.RawMessage
	if json.Unmarshal(msg["result"], &block) != nil || block == nil {
		return resp
	}
	if _, ok := block["baseFeePerGas"]; !ok {
		return resp
	}
	block["baseFeePerGas"] = json.RawMessage(`"0x0"`)
	b, err := json.Marshal(block)
	if err != nil {
		return resp
	}
	msg["result"] = b
	out, err := json.Marshal(msg)
	if err != nil {
		return resp
	}
	return out
}

// record decodes a raw transaction and keeps it; -1 when it is unreadable.
func (p *Proxy) record(ctx context.Context, req rpcReq) int {
	tx := p.decodeTx(ctx, req)
	if tx == nil {
		return -1
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	tx.Round = p.round
	p.txs = append(p.txs, *tx)
	return len(p.txs) - 1
}

// forwarded marks txs[i] as passed to the node and offers it on Sent.
func (p *Proxy) forwarded(i int) {
	p.mu.Lock()
	p.txs[i].Forwarded = true
	tx := p.txs[i]
	p.mu.Unlock()
	select {
	case p.sent <- tx:
	default:
	}
}

func (p *Proxy) forward(ctx context.Context, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.upstream, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 8<<20))
}

// decodeTx decodes a raw transaction and reads the sender's pending nonce
// from the node before the transaction reaches it.
func (p *Proxy) decodeTx(ctx context.Context, req rpcReq) *RawTx {
	if len(req.Params) != 1 {
		return nil
	}
	var raw hexutil.Bytes
	if err := json.Unmarshal(req.Params[0], &raw); err != nil {
		p.count("undecodable")
		return nil
	}
	var tx types.Transaction
	if err := tx.UnmarshalBinary(raw); err != nil {
		p.count("undecodable")
		return nil
	}
	from, err := types.Sender(p.signer, &tx)
	if err != nil {
		p.count("undecodable")
		return nil
	}
	out := &RawTx{Hash: tx.Hash(), From: from, Nonce: tx.Nonce(), Data: tx.Data(),
		FeeCap: tx.GasFeeCap(), Tip: tx.GasTipCap(), PendingNonce: NoPendingNonce}
	if tx.To() != nil {
		out.To = *tx.To()
	}
	q := fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"eth_getTransactionCount","params":["%s","pending"]}`, from.Hex())
	if n, ok := p.upstreamUint(ctx, q); ok {
		out.PendingNonce = n
	}
	out.Head = NoHead
	if n, ok := p.upstreamUint(ctx, `{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}`); ok {
		out.Head = n
	}
	return out
}

// upstreamUint asks the node a JSON-RPC query whose result is a quantity.
func (p *Proxy) upstreamUint(ctx context.Context, query string) (uint64, bool) {
	resp, err := p.forward(ctx, []byte(query))
	if err != nil {
		return 0, false
	}
	var r struct{ Result *hexutil.Uint64 }
	if json.Unmarshal(resp, &r) != nil || r.Result == nil {
		return 0, false
	}
	return uint64(*r.Result), true
}

func writeResult(w http.ResponseWriter, id json.RawMessage, result any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": id, "result": result})
}
