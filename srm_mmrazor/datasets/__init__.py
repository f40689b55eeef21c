from .digits import Digits
from .fashion_mnist import FashionMNISTGz
from .synthetic import SyntheticImages

__all__ = ['Digits', 'FashionMNISTGz', 'SyntheticImages']
