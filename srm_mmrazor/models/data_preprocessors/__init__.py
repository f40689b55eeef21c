from .channels_last import ChannelsLastClsDataPreprocessor

__all__ = ['ChannelsLastClsDataPreprocessor']
