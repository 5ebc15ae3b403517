"""Chart builders: pure functions from data frames to figures or SVG, callable from tests."""
