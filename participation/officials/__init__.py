"""The town's elected officials and municipal services (engine-level: questions to officials,
neighbourhood councils and the town's team all read them). Services change them, selectors
read them; the public page is ``/elus/``, the back office ``/gestion/elus/`` and
``/gestion/services/``."""
