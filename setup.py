from setuptools import find_packages, setup

setup(
    name='srm_mmrazor',
    version='0.1.0',
    description='Knowledge distillation by Sparse Representation Matching '
    '(SRM) as an MMRazor plugin',
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    packages=find_packages(include=['srm_mmrazor', 'srm_mmrazor.*']),
    python_requires='>=3.9',
    # Library ranges; `requirements/cpu.txt` pins the tested set. torch is
    # never pinned here, and `mmcv` (source-only on the registry) is never
    # asked for: `mmcv-lite` is all MMRazor's distillation path needs.
    # mmpretrain imports torchvision without declaring it: install the
    # torchvision release that matches your torch.
    install_requires=[
        'torch>=2.6,<3',
        'mmengine>=0.10.0,<1.0',
        'mmcv-lite>=2.0.0,<=2.1.0',
        'mmpretrain>=1.2.0,<1.3',
        'mmrazor>=1.0.0,<1.1',
        'joblib',
        'setuptools<81',
    ],
    license='Apache License 2.0',
)
