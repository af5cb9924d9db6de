"""The feature packages of 宁社通, one blueprint each, plus the helpers they share."""
