"""The town's homepage, composed of blocks it orders and fills (Go Vocal's and Cap Collectif's
homepage builders): the kinds of block (``blocks``), what staff do with them (``services``),
what pages read (``selectors``), the back office and the public page (``views``)."""
