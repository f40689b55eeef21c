from .fashion_mnist import FashionMNISTGz

__all__ = ['FashionMNISTGz']
