//! The recurrent cells beyond the notebook's vanilla one: gated cells (GRU, LSTM) with their
//! forward pass, truncated backpropagation through time and gradient flow, by hand.

pub mod gated;
