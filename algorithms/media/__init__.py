"""Input images: the format and size from the header, and the decode to the picture to animate."""

from .header import ImageInfo, read_image_info, sniff_format
from .loading import load_image, output_size, probe_image

__all__ = ["ImageInfo", "load_image", "output_size", "probe_image", "read_image_info", "sniff_format"]
