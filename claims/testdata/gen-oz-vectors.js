// Regenerates oz-merkle-vectors.json with OpenZeppelin's @openzeppelin/merkle-tree (the library
// whose trees OpenZeppelin's MerkleProof.verify checks), so claims.Tree is tested against it.
//   npm install @openzeppelin/merkle-tree@1.0.8 && node gen-oz-vectors.js > oz-merkle-vectors.json
// Leaf i is keccak256 of i as a 32-byte big-endian integer; the tree keeps leaf order (sortLeaves: false).
'use strict';
const { SimpleMerkleTree } = require('@openzeppelin/merkle-tree');
const { keccak256 } = require('ethereum-cryptography/keccak');

function leaf(i) {
  const b = Buffer.alloc(32);
  b.writeUInt32BE(i, 28);
  return '0x' + Buffer.from(keccak256(b)).toString('hex');
}

const cases = [1, 2, 3, 4, 5, 7, 8, 13, 100].map((n) => {
  const leaves = Array.from({ length: n }, (_, i) => leaf(i));
  const tree = SimpleMerkleTree.of(leaves, { sortLeaves: false });
  const proofs = leaves.map((_, i) => tree.getProof(i));
  return { leaves, root: tree.root, proofs };
});
process.stdout.write(JSON.stringify({ library: '@openzeppelin/merkle-tree@1.0.8 SimpleMerkleTree', cases }, null, 1) + '\n');
