"""One module per resource; each exposes `router`. The app includes them all."""
