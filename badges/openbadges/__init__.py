"""The Open Badges 2.0 vocabulary and machinery as pure functions: JSON-LD documents, recipient
hashing, JWS signing, baking into PNG and SVG, and SVG sanitising. Nothing here touches Django, the
database or the network, so every function is tested with plain values."""
