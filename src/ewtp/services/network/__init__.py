"""Use cases of the network: load it, list it, import SSIM, plan routes, report coverage."""
