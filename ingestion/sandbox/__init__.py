"""The demo world (simulator + ground truth) and the local vendor API sandboxes that serve it."""
