"""The town's open data (/donnees/): public datasets as CSV and JSON under the Licence Ouverte /
Etalab 2.0, and their DCAT catalogue in JSON-LD. The engine gives the spaces; each module
gives its own datasets through the registry's ``open_data`` hook (participation.hooks
.OpenDataset), asked only about components of published spaces."""
