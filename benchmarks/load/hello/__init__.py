"""A Django hello-world: the framework's own floor, served like the app, for comparison."""
