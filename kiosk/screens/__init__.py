"""The runtime's own screens: attract loop, home menu, mediator pages, closed screen."""
