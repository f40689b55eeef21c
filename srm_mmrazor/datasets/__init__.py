from .fashion_mnist import FashionMNISTGz
from .synthetic import SyntheticImages

__all__ = ['FashionMNISTGz', 'SyntheticImages']
