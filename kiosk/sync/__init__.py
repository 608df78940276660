"""Getting the event log to the hub: the uploader thread, USB bundles, and the status the mediator sees."""
